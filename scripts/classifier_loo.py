"""Print the classifier's leave-one-out figures on the bundled tasks' prompts.

Each bundled prompt is classified by a classifier built from the other prompts (the
hand-written lexicon and identifier shapes stay; the prompt vectors and idf are rebuilt
without it). Targets (issue 9): top-1 category >= 80%, language >= 95%.

Usage: .venv/bin/python scripts/classifier_loo.py
"""

from __future__ import annotations

from routr_cli.ranking.classifier import bundled_examples, leave_one_out


def main() -> None:
    result = leave_one_out(bundled_examples())
    n = result["n"]
    cat = round(result["category_top1"] * n)
    lang = round(result["language"] * n)
    print(f"leave-one-out on {n} bundled prompts:")
    print(f"  top-1 category {cat}/{n} = {result['category_top1']:.1%} (target >= 80%)")
    print(f"  language       {lang}/{n} = {result['language']:.1%} (target >= 95%)")
    for miss in result["misses"]:
        print(
            f"  miss {miss['id']}: category {miss['category']} -> {miss['got']}, "
            f"language {miss['language']} -> {miss['got_language']}"
        )


if __name__ == "__main__":
    main()
