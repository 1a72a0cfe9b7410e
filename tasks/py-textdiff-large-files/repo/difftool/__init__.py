"""Minimal line diffs, unified-diff rendering and patch application."""

from difftool.opcodes import Opcode, opcodes
from difftool.patch import PatchError, apply_patch
from difftool.unified import diff_stat, unified_diff

__all__ = ["Opcode", "PatchError", "apply_patch", "diff_stat", "opcodes", "unified_diff"]
