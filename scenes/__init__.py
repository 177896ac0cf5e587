"""The built-in scenes, one module per blog example (installed as ``animate.scenes``).

Importing this package registers every scene in it.
"""

from . import linear, linear_autograd, linear_param, logistic, mlp, poly, spiral  # noqa: F401  (for @register)
