"""A web address's scheme as it is always written: ``http://``, ``https://``, ``ftp://``.

CTC writes a character twice only with a blank step between the two, and the narrow pair of a
scheme's ``//`` and the ``tt`` of ``http`` leave little room for one: the recognizer reads
``http://www.debian.org`` as ``http:/www.debian.org`` or ``htp://`` often enough (15 times on the 48
real pages, in every script's pages) that a scheme read short is written whole again. Only a scheme
followed by its separator and a host name with a dot is touched, so prose that names "the http
protocol" stays as read.
"""

from __future__ import annotations

import dataclasses
import re

from polyocr.model.ctc import DecodedLine

_SCHEME = re.compile(r"(?<![A-Za-z0-9])(?:(ht{1,2}p)(s?)|(ftp))(?::/{0,2}|//?)(?=[A-Za-z0-9][\w-]*(?:\.[\w-]+)+)")


def _whole(match: re.Match) -> str:
    return "ftp://" if match.group(3) else f"http{match.group(2)}://"


def restore_schemes(line: DecodedLine) -> DecodedLine:
    """``line`` with every web address's scheme written whole; a character put in takes its share of
    the span and the mean confidence of the characters it was read among."""
    if "tp" not in line.text or not _SCHEME.search(line.text):
        return line
    text, conf, spans = [], [], []
    at = 0
    for match in _SCHEME.finditer(line.text):
        start, end = match.span()
        text.append(line.text[at:start])
        conf += line.char_conf[at:start]
        spans += line.spans[at:start]
        whole = _whole(match)
        left, right = line.spans[start][0], line.spans[end - 1][1]
        step = (right - left) / len(whole)
        mean = sum(line.char_conf[start:end]) / (end - start)
        text.append(whole)
        conf += [mean] * len(whole)
        spans += [(left + k * step, left + (k + 1) * step) for k in range(len(whole))]
        at = end
    text.append(line.text[at:])
    conf += line.char_conf[at:]
    spans += line.spans[at:]
    joined = "".join(text)
    if joined == line.text:
        return line
    return dataclasses.replace(line, text=joined, char_conf=conf, spans=spans,
                               confidence=sum(conf) / len(conf) if conf else line.confidence)
