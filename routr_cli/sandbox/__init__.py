"""Sandboxes: the protocol, the Docker backend and the image builds."""

from routr_cli.sandbox.base import ExecResult, Sandbox, SandboxFactory, SandboxSpec

__all__ = ["ExecResult", "Sandbox", "SandboxFactory", "SandboxSpec"]
