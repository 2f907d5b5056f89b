"""Entry at the top of the checkout: ``python cli.py …`` runs the ``kg`` command.

The command lives in the package (``kg.cli``), which is what the installed ``kg`` script calls;
this file only re-exports it so ``python cli.py build …`` and ``from cli import app`` keep working
in a checkout. It is not installed (only the ``kg`` package is).
"""
import sys

from kg.cli import app, main

__all__ = ["app", "main"]

if __name__ == "__main__":
    sys.exit(main())
