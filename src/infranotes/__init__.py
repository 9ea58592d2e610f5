"""infranotes: executable notes on Linux and Kubernetes infrastructure.

Each topic is a subpackage (``infranotes.dns``, ...) holding parsers, pure engines and the
labs that run the real thing beside the model. ``infranotes.cli`` exposes them on your files.
"""

__version__ = "0.1.0"
