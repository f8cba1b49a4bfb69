"""A local emulator of the OpenCRM REST API.

The public surface is :func:`create_app` and :class:`Settings`; everything else is
private to the package and may change between versions.
"""

__version__ = "0.1.0"
