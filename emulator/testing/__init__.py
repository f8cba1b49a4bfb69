"""What the pytest plugin's fixtures are made of (``emulator.pytest_plugin`` imports these
on a fixture's first use, so that a pytest run that never uses them does not pay for them).

- ``emulators``: ``OpenCRM`` (the emulator in-process, with clients of each library),
  ``LiveServer`` (on a loopback socket) and ``Emulators`` (one per marker configuration);
- ``answers``: ``OpenCRMAPIError``, what ``opencrm.call`` raises for an error answer;
- ``expectations``: the journal's filters and ``assert_called``.
"""
