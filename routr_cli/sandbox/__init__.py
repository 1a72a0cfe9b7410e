"""Sandboxes: the protocol, the Docker backend and the image builds.

The Docker pieces import the ``docker`` SDK lazily (inside functions), so importing this
package stays cheap.
"""

from routr_cli.sandbox.base import ExecResult, Sandbox, SandboxFactory, SandboxSpec
from routr_cli.sandbox.docker_backend import DockerBackend, DockerSandbox
from routr_cli.sandbox.images import BuildResult, PruneResult, build_images, prune, resolve_image

__all__ = [
    "BuildResult",
    "DockerBackend",
    "DockerSandbox",
    "ExecResult",
    "PruneResult",
    "Sandbox",
    "SandboxFactory",
    "SandboxSpec",
    "build_images",
    "prune",
    "resolve_image",
]
