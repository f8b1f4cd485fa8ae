"""xapp: a static GPU speed-up predictor for C, C++ and OpenCL C loop nests."""
from .errors import XappError

__version__ = "0.1.0"
__all__ = ["XappError", "__version__"]
