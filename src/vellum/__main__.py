from vellum.cli import main

main()
