from gridloop.entrypoints.cli import main

main()
