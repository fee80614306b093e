from veelocity.cli import main

main()
