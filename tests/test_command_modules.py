"""Every command the CLI names is a module with the two functions cli.main calls.

cli.main imports the modules by name, so mypy cannot check this contract; this test does.
"""
import argparse
import importlib
import inspect

from budapest56.cli import COMMANDS, module_name


def test_every_command_module_has_configure_and_run():
    for name in COMMANDS:
        module = importlib.import_module(module_name(name))
        for function, parameter in (("configure", "parser"), ("run", "args")):
            signature = inspect.signature(getattr(module, function))
            assert list(signature.parameters) == [parameter], f"{name}.{function}"
        # configure() must accept a real parser: a command whose options clash fails here.
        module.configure(argparse.ArgumentParser(prog=f"budapest56 {name}"))
