"""The wire layer's end points: one short function per OpenCRM action.

Each reads typed values from the call's :class:`~emulator.wire.params.Params`, asks the
backend one verb and renders the answer. :mod:`emulator.endpoints.dispatch` runs the pipeline
every call goes through (end point look-up, admission, authentication, runtime behaviour,
journal); :mod:`emulator.endpoints.table` is the table of end points; the control plane's
routes are in :mod:`emulator.endpoints.control`.
"""
