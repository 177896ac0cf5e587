"""The built-in scenes, one module per blog example (installed as ``animate.scenes``).

Importing this package registers every scene in it.
"""

from . import linear, logistic  # noqa: F401  (imported for their @register side effect)
