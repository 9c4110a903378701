"""`python -m assistant.cli`: the same as the `wijkwijs` command."""

from assistant.cli import main

main()
