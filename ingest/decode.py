"""File bytes → text: which encoding, and how much of the file does not decode.

Government sites and scrapers produce damaged files: a few bytes flipped, a file cut inside its
last character, NUL bytes from a broken converter. Such a file is still mostly text, and its good
text is worth more than a refusal. So each encoding Chinese documents come in (UTF-8, the declared
charset, GB18030 for GB2312/GBK/GB18030, UTF-16 either way round) is tried in a counting decode:

- undecodable bytes become U+FFFD, counted, with the offset of the first;
- a last character cut off (an incomplete sequence at the very end) is dropped and counted;
- *noise* is what no text holds: control characters, unassigned code points;
- *rare* is what is outside GB2312 (its 6,763 hanzi, ASCII, the usual punctuation): ordinary in a
  correct reading, frequent in a reading in the wrong encoding, so it ranks the readings;
- *foreign* is what is neither GB2312 nor a CJK ideograph: Hangul, Yi, private use, other scripts.

GB18030 and UTF-16 decode almost any bytes, so a reading in them proves little: it must also be
mostly familiar (little foreign), in GB18030, the simplified Chinese encoding, mostly common
(little rare: a UTF-8 file too damaged to read is not read as GB18030 gibberish), and, to be
taken at once, mostly common in UTF-16 too.

The first reading with no undecodable byte and little noise wins: UTF-8 first, as valid UTF-8 is
never an accident, then the declared charset, GB18030 and UTF-16, then what charset_normalizer
detects (Big5, ...). Otherwise the least damaged of the plausible readings is taken; without one,
the file is binary. Random bytes are far from the limits: some 15% of them do not decode as
GB18030 and about half as UTF-8, and read as UTF-16 more than half are foreign.
"""

from __future__ import annotations

import codecs
import contextvars
import functools
import re
import unicodedata
from dataclasses import dataclass

import charset_normalizer

from ingest.normalize import CONTROLS

# At most this share of a file's bytes may be undecodable, and this share of its characters noise.
MAX_BAD_SHARE = 0.05
MAX_NOISE_SHARE = 0.05
# A reading in GB18030 or UTF-16 (which decode almost anything) may have at most this share of
# foreign characters, and this share of rare ones in GB18030 or to be taken without looking further.
MAX_FOREIGN_SHARE = 0.25
MAX_RARE_SHARE = 0.25

# UTF-32 first: its little-endian BOM starts with the UTF-16 one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# GB18030 is a superset of both, and sites that declare gb2312 routinely use GBK characters.
_GB_FAMILY = frozenset({"gb2312", "gbk", "gb18030"})
_CANDIDATES = ("utf-8", "gb18030", "utf-16-le", "utf-16-be")
_WEAK = ("gb18030", "utf-16", "utf-32")  # codecs (name prefixes) that decode almost any bytes
_CJK = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))


@dataclass
class _Spans:
    """The undecodable bytes of one decode, counted by the error handler up to a limit."""

    limit: int
    bad: int = 0
    runs: int = 0
    first: int | None = None


class _Hopeless(Exception):
    """More undecodable bytes than a reading may have: the decode stops."""


# The error handler counts into the _Spans of the decode running in this thread (or task).
_ERRORS = "ingest.decode.count"
_bad_spans: contextvars.ContextVar[_Spans] = contextvars.ContextVar("bad_spans")


class Undecodable(ValueError):
    """The bytes are not text in any encoding tried (the message: the least damaged reading's)."""


@dataclass
class Decoded:
    """One reading of a file's bytes."""

    text: str
    encoding: str
    bad_bytes: int = 0  # undecodable bytes, each run replaced by one U+FFFD
    first_bad: int | None = None  # byte offset of the first undecodable byte
    cut_bytes: int = 0  # bytes of an incomplete last character, dropped
    noise: int = 0  # characters no text holds (controls, unassigned)
    rare: int = 0  # characters outside GB2312
    foreign: int = 0  # characters neither in GB2312 nor CJK ideographs
    size: int = 0  # bytes read
    weak: bool = False  # read in GB18030 or UTF-16 with no declaration: decoding proves little

    @property
    def bad_share(self) -> float:
        return self.bad_bytes / max(1, self.size)

    @property
    def noise_share(self) -> float:
        return self.noise / max(1, len(self.text))

    @property
    def rare_share(self) -> float:
        return self.rare / max(1, len(self.text))

    @property
    def foreign_share(self) -> float:
        return self.foreign / max(1, len(self.text))

    def plausible(self) -> bool:
        """Mostly text: few undecodable bytes, little noise and something left; read in a weak codec,
        also few foreign characters, and in GB18030 (simplified Chinese) few rare ones."""
        if not self.weak:
            familiar = True
        elif self.encoding == "gb18030":  # rare includes foreign
            familiar = self.rare_share <= MAX_RARE_SHARE
        else:
            familiar = self.foreign_share <= MAX_FOREIGN_SHARE
        return (
            familiar
            and self.bad_share <= MAX_BAD_SHARE
            and self.noise_share <= MAX_NOISE_SHARE
            and bool(self.text.strip(" \t\r\n\x00\ufffd"))
        )

    def clean(self) -> bool:
        """Taken without looking further: no undecodable byte, plausible, and (weak codecs) common."""
        common = not self.weak or self.rare_share <= MAX_RARE_SHARE
        return self.bad_bytes == 0 and common and self.plausible()

    def damage(self) -> float:
        """How far this reading is from clean text, to rank the readings of one file."""
        return self.bad_share + self.noise_share + self.rare_share


def decode(data: bytes, declared: str | None = None) -> Decoded:
    """The best reading of ``data`` (see the module docstring); Undecodable when none is text."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            reading = _attempt(data, codec, weak=codec.startswith(_WEAK))
            reading.encoding = codec.removesuffix("-sig")
            if reading.plausible():
                return reading
            raise Undecodable(reading.encoding)
    readings: list[Decoded] = []
    # Valid UTF-8 wins over a declared charset: pages often keep a stale gb2312 <meta>.
    declared = codec_name(declared)
    for codec in dict.fromkeys(c for c in (_CANDIDATES[0], declared, *_CANDIDATES[1:]) if c):
        reading = _attempt(data, codec, weak=codec != declared and codec.startswith(_WEAK))
        if reading.clean():
            return reading
        readings.append(reading)
    guessed = _guess(data, {r.encoding for r in readings})  # another encoding (Big5, ...)
    if guessed is not None:
        if guessed.clean():
            return guessed
        readings.append(guessed)
    plausible = [r for r in readings if r.plausible()]
    if not plausible:
        raise Undecodable(min(readings, key=Decoded.damage).encoding)
    return min(plausible, key=Decoded.damage)


def codec_name(encoding: str | None) -> str | None:
    """Python's name for an encoding label, widening the GB family to GB18030."""
    try:
        name = codecs.lookup(encoding).name if encoding else None
    except LookupError:
        return None
    return "gb18030" if name in _GB_FAMILY else name


def _guess(data: bytes, tried: set[str]) -> Decoded | None:
    best = charset_normalizer.from_bytes(data).best()
    codec = codec_name(best.encoding) if best is not None else None
    return _attempt(data, codec) if codec and codec not in tried else None


def _attempt(data: bytes, codec: str, *, weak: bool = False) -> Decoded:
    spans = _Spans(limit=int(MAX_BAD_SHARE * len(data)))
    token = _bad_spans.set(spans)
    try:
        decoder = codecs.getincrementaldecoder(codec)(_ERRORS)
        text = decoder.decode(data, final=False)  # an incomplete last character stays pending
        pending = decoder.getstate()[0]
    except _Hopeless:  # past the limit: not this encoding, whatever the rest holds
        return Decoded("", codec, spans.bad, spans.first, size=len(data), weak=weak)
    finally:
        _bad_spans.reset(token)
    return Decoded(
        text=text,
        encoding=codec,
        bad_bytes=spans.bad,
        first_bad=spans.first,
        cut_bytes=len(pending),
        noise=len(_noise_pattern().findall(text)),
        rare=_rare(text, spans.runs),
        foreign=len(_foreign_pattern().findall(text)),
        size=len(data),
        weak=weak,
    )


def _count_bad(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    spans = _bad_spans.get()
    spans.bad += exc.end - exc.start
    spans.runs += 1
    spans.first = exc.start if spans.first is None else spans.first
    if spans.bad > spans.limit:  # GBK read as UTF-8 would call this for most of its bytes
        raise _Hopeless
    return "\ufffd", exc.end


codecs.register_error(_ERRORS, _count_bad)


def _rare(text: str, replaced: int) -> int:
    """Characters outside GB2312 (and ASCII), the U+FFFD of undecodable bytes not counted again."""
    kept = text.encode("gb2312", "ignore").decode("gb2312")
    return len(text) - len(kept) - replaced


@functools.cache
def _noise_pattern() -> re.Pattern[str]:
    """Control characters (those `normalize` removes), surrogates and unassigned code points; above
    the BMP, the unassigned planes 4-13."""
    codes = [c for c in range(0x10000) if chr(c) in CONTROLS or unicodedata.category(chr(c)) in ("Cn", "Cs")]
    return _char_class([*_ranges(codes), (0x40000, 0xDFFFF)])


@functools.cache
def _foreign_pattern() -> re.Pattern[str]:
    """Anything but ASCII, GB2312, CJK ideographs and U+FFFD."""
    familiar = {*range(0x20, 0x7F), *b"\t\n\r", 0xFFFD}
    for lead in range(0xA1, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                familiar.add(ord(bytes((lead, trail)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return _char_class([*_ranges(sorted(familiar)), *_CJK], negate=True)


def _ranges(codes: list[int]) -> list[tuple[int, int]]:
    """Sorted code points → runs (first, last)."""
    runs: list[tuple[int, int]] = []
    for code in codes:
        if runs and runs[-1][1] == code - 1:
            runs[-1] = (runs[-1][0], code)
        else:
            runs.append((code, code))
    return runs


def _char_class(runs: list[tuple[int, int]], *, negate: bool = False) -> re.Pattern[str]:
    body = "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in runs)
    return re.compile(f"[{'^' if negate else ''}{body}]")
