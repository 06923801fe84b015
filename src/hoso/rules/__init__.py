"""The rules engine: the ministry's assessment circulars as pure Python.

No Django here (import-linter enforces it): the engine takes plain typed values and returns
frozen results with explanations, so it can be run from the command line, tested on its own and
reused by every part of the application.
"""
