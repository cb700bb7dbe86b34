"""Write ``book/compression_texts.json``: the texts the chapter "Compress text with a model" codes.

Usage (on Debian, as root)::

    apt-get install -y bible-kjv sword-text-web sword-text-sparv diatheke
    python tools/write_compression_texts.py

The Gospel of Mark in three public-domain translations, exported from Debian's packages:

- the King James Version (1611), package ``bible-kjv`` (its text ``bible-kjv-text``), the
  ``bible.txt`` of the Canterbury large corpus; printed with ``bible -f``;
- the World English Bible, package ``sword-text-web`` (SWORD module ``engWEB2015eb``);
- the Reina-Valera of 1909 (Spanish), package ``sword-text-sparv`` (module ``spaRV1909eb``);
  both exported with ``diatheke``.

Each becomes plain UTF-8 text, one verse a line, without the chapter and verse references:
the SWORD modules' OSIS markup (word tags with Strong's numbers, quotation and paragraph
marks) is removed, a space is put between two word tags that touch (the module writes
``God</w><w ...>created``) and runs of white space become one space. The licence of each,
quoted from the package's ``/usr/share/doc/<package>/copyright``, is stored beside the text.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "book" / "compression_texts.json"
BOOK, CHAPTERS, LAST_VERSE = "Mark", 16, 20


def package_version(package: str) -> str:
    return subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True, check=True
    ).stdout


def kjv() -> list[str]:
    text = subprocess.run(
        ["bible", "-f", f"{BOOK}1:1-{CHAPTERS}:{LAST_VERSE}"],
        capture_output=True, text=True, check=True,
    ).stdout
    verses = re.findall(rf"^{BOOK}\d+:\d+ (.*)$", text, flags=re.MULTILINE)
    return [" ".join(v.split()) for v in verses]


def sword(module: str) -> list[str]:
    text = subprocess.run(
        ["diatheke", "-b", module, "-k", BOOK], capture_output=True, text=True, check=True
    ).stdout
    text = text.replace(f"({module})", "")
    pieces = re.split(rf"^{BOOK} \d+:\d+: ", text, flags=re.MULTILINE)[1:]
    verses = []
    for piece in pieces:
        piece = re.sub(r"</w>(?=<w[ >])", "</w> ", piece)
        piece = re.sub(r"<[^>]*>", "", piece)
        verses.append(" ".join(html.unescape(piece).split()))
    return verses


def licence(package: str, start: str, stop: str | None) -> str:
    text = Path(f"/usr/share/doc/{package}/copyright").read_text()
    begin = text.index(start)
    end = text.index(stop, begin) if stop else len(text)
    return " ".join(text[begin:end].split())


def main() -> None:
    texts = {
        "kjv": {
            "title": "The Gospel of Mark, King James Version (1611)",
            "language": "English",
            "package": f"bible-kjv-text {package_version('bible-kjv-text')} (Debian)",
            "command": f"bible -f {BOOK}1:1-{CHAPTERS}:{LAST_VERSE}",
            "licence": licence("bible-kjv-text", "The copyright for the King James", "====="),
            "verses": kjv(),
        },
        "web": {
            "title": "The Gospel of Mark, World English Bible",
            "language": "English",
            "package": f"sword-text-web {package_version('sword-text-web')} (Debian)",
            "command": f"diatheke -b engWEB2015eb -k {BOOK}",
            "licence": licence("sword-text-web", "The World English Bible is in", "Files: debian"),
            "verses": sword("engWEB2015eb"),
        },
        "rv1909": {
            "title": "El Evangelio según San Marcos, Reina-Valera (1909)",
            "language": "Spanish",
            "package": f"sword-text-sparv {package_version('sword-text-sparv')} (Debian)",
            "command": f"diatheke -b spaRV1909eb -k {BOOK}",
            "licence": licence("sword-text-sparv", "This work is not copyrighted", None),
            "verses": sword("spaRV1909eb"),
        },
    }
    for key, entry in texts.items():
        verses = entry.pop("verses")
        assert len(verses) > 600 and all(verses), key
        entry["text"] = "\n".join(verses) + "\n"
        assert "<" not in entry["text"] and ">" not in entry["text"], key
    document = {
        "about": (
            "Public-domain texts for the chapter 'Compress text with a model', exported from "
            "Debian packages by tools/write_compression_texts.py: plain UTF-8, one verse a "
            "line, without references or markup."
        ),
        "texts": texts,
    }
    OUTPUT.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for key, entry in texts.items():
        print(key, len(entry["text"].encode()), "bytes")


if __name__ == "__main__":
    main()
