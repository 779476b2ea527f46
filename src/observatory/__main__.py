"""Entry point for ``python -m observatory``."""
from observatory.cli import main

main()
