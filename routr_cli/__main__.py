from routr_cli.cli.main import run

run()
