"""What the pytest plugin's fixtures are made of (``emulator.pytest_plugin`` imports these
on a fixture's first use, so that a pytest run that never uses them does not pay for them).

- ``helpers``: ``Emulated``, the helpers every emulated system offers a test;
- ``emulators``: ``OpenCRM`` (the emulator in-process, with clients of each library),
  ``LiveServer`` (on a loopback socket) and ``PrivateServer`` (one in a thread);
- ``remote``: ``SharedSystem``, a system on the run's shared server, over its control plane;
- ``shared`` and ``served``: that server's lifecycle, shared by the xdist workers;
- ``markers``: what a marker's settings need (a system's options, runtime, a private server);
- ``session``: ``Emulators``, one system per marker configuration in each process;
- ``answers``: ``OpenCRMAPIError``, what ``opencrm.call`` raises for an error answer;
- ``expectations``: the journal's filters and ``assert_called``.
"""
