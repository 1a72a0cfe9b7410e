"""The text Routr sends a model: the edit-format system prompt and the task message.

Kept apart from the solvers so the wording can be read (and changed) in one place; a
change here changes what every model is asked, so results before and after differ.
"""

from __future__ import annotations

from routr_cli.solvers.context import RepoContext
from routr_cli.solvers.edit_format import EditFormat
from routr_cli.text import plural

_COMMON = """You are an expert software engineer working in an existing repository.
You are given a task and the repository's files. Change the files so the task is done.
Hidden tests will check your change; do not write or edit tests under tests/ (they are
replaced before grading). Reply with a short explanation (optional) and then your edits
in exactly the format below. Nothing else in your reply is applied.
"""

_SEARCH_REPLACE = """
EDIT FORMAT: search/replace blocks.
For each change, write the file's path on its own line, then a block:

path/to/file.py
```python
<<<<<<< SEARCH
the exact current lines to change, copied verbatim with their indentation
=======
the new lines that replace them
>>>>>>> REPLACE
```

Rules:
- SEARCH must match the current file exactly once: include enough surrounding lines.
- Use several small blocks rather than one large one; blocks apply in order.
- To create a new file, use the new path and an empty SEARCH section.
- To replace a whole file, write `FILE: path/to/file` on its own line followed by a
  fenced block with the complete new content.
- To delete a file, write `DELETE: path/to/file` on its own line.
- Paths are relative to the repository root.
- If a file's content has lines that start with ```, fence it with more backticks
  than any such line (for example ````), and close it with the same fence.
"""

_WHOLE = """
EDIT FORMAT: whole files.
For every file you change or create, write `FILE: ` and its path on one line, then a
fenced block with the file's complete new content:

FILE: path/to/file.py
```python
the complete new content of the file
```

Rules:
- Always write the complete file; anything you leave out is removed from the file.
- To delete a file, write `DELETE: path/to/file` on its own line.
- Paths are relative to the repository root. Files you do not mention stay as they are.
- If a file's content has lines that start with ```, fence it with more backticks
  than any such line (for example ````), and close it with the same fence.
"""


def system_prompt(fmt: EditFormat) -> str:
    """The system message for ``fmt`` (explains the task setting and the edit grammar)."""
    return _COMMON + (_SEARCH_REPLACE if fmt == "search-replace" else _WHOLE)


def task_message(task_prompt: str, context: RepoContext) -> str:
    """The first user message: the task statement, then the repository files."""
    note = f"The repository has {plural(len(context.shown) + len(context.omitted), 'file')}; " + (
        "all are shown below."
        if not context.omitted
        else f"{len(context.shown)} are shown below and {len(context.omitted)} are listed "
        "by path only (the context window is too small for all of them)."
    )
    return (
        "# Task\n\n" + task_prompt.strip() + "\n\n# Repository\n\n" + note + "\n\n" + context.text
    )


def edit_error_message(error: str) -> str:
    """The repair turn after an answer that could not be parsed or applied."""
    return (
        "Your edits could not be applied, so nothing was changed and no tests ran:\n\n"
        f"{error}\n\n"
        "Reply again with corrected edits for the original repository, in the same format."
    )


def test_failure_message(feedback: str, changed: list[str]) -> str:
    """The repair turn after a graded change that did not pass the hidden tests."""
    files = ", ".join(changed) if changed else "(none)"
    return (
        "Your edits were applied (changed files: "
        + files
        + "), but the hidden tests do not pass yet. Test results:\n\n"
        + feedback
        + "\n\nReply with further edits, in the same format, to apply on top of the files "
        "as your previous edits left them."
    )
