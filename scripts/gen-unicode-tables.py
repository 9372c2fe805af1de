"""Generates src/tokenizer/unicode-tables.ts: the per-code-point character classes and mappings that the
Hugging Face Rust `tokenizers` library uses, read off the library itself (not off a Unicode database), so
that our tables agree with the reference even where its Unicode crates lag behind the current standard.

Usage: PYTHON scripts/gen-unicode-tables.py [OUT]   (PYTHON from ../shared/tools/setup-python-reference.sh)

Every code point except the surrogates is probed through the library's Python bindings:
  whitespace   WhitespaceSplit splits on it                      (Rust char::is_whitespace)
  bertSpace    BertNormalizer(clean_text) turns it into ' '       (is_whitespace + \t \n \r)
  bertRemoved  BertNormalizer(clean_text) deletes it              (\0, U+FFFD, Unicode "Other" minus \t\n\r)
  punct        BertPreTokenizer isolates it                       (ASCII punctuation or Unicode P*)
  nonspacing   BertNormalizer(strip_accents) deletes it after NFD (Unicode Mn)
  combining    StripAccents deletes it                            (Unicode M*)
  lower        Lowercase maps it, one char at a time              (Rust char::to_lowercase)
  nfd          NFD decomposes it (Hangul syllables are algorithmic and checked, not stored)
  regexWord    the Whitespace pre-tokenizer's \\w (Rust regex crate), regexSpace its \\s
  onigL/onigN/onigS  \\p{L}, \\p{N}, \\s of ByteLevel's GPT-2 regex (Oniguruma)
  numeric      Digits splits on it                                (Rust char::is_numeric)
  nfkd         NFKD decomposes it
  compose      canonical composition pairs (first, second) → composite, read off the library's NFC
  ccc          canonical combining class, for canonical reordering: Python's unicodedata value, kept only
               for marks the library itself reorders
"""
import sys, unicodedata
import tokenizers
from tokenizers import normalizers as N, pre_tokenizers as PT

out = sys.argv[1] if len(sys.argv) > 1 else "src/tokenizer/unicode-tables.ts"
ws_split = PT.WhitespaceSplit()
bert_pt = PT.BertPreTokenizer()
clean = N.BertNormalizer(clean_text=True, handle_chinese_chars=False, strip_accents=False, lowercase=False)
strip = N.BertNormalizer(clean_text=False, handle_chinese_chars=False, strip_accents=True, lowercase=False)
strip_m = N.StripAccents()
lower = N.Lowercase()
nfd = N.NFD()

sets = {k: [] for k in ("whitespace", "bertSpace", "bertRemoved", "punct", "nonspacing", "combining",
                        "regexWord", "regexSpace", "onigL", "onigN", "onigS", "numeric")}
lower_map, nfd_map, nfkd_map = {}, {}, {}
ws_pt = PT.Whitespace()
bl = PT.ByteLevel(add_prefix_space=False, use_regex=True, trim_offsets=False)
digits = PT.Digits(individual_digits=True)
nfkd = N.NFKD()
nfc = N.NFC()
cps = [cp for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF]
for cp in cps:
    c = chr(cp)
    if len(ws_split.pre_tokenize_str("a" + c + "b")) == 2:
        sets["whitespace"].append(cp)
    cl = clean.normalize_str(c)
    if cl == " " and cp != 0x20:
        sets["bertSpace"].append(cp)
    elif cl == "":
        sets["bertRemoved"].append(cp)
    if cp == 0x20:
        sets["bertSpace"].append(cp)
    pieces = bert_pt.pre_tokenize_str("a" + c + "b")
    if len(pieces) == 3 and pieces[1][0] == c:
        sets["punct"].append(cp)
    d = nfd.normalize_str(c)
    if d != c:
        if not 0xAC00 <= cp <= 0xD7A3:
            nfd_map[cp] = [ord(x) for x in d]
    elif strip.normalize_str(c) == "":
        sets["nonspacing"].append(cp)
    if d == c and strip_m.normalize_str(c) == "":
        sets["combining"].append(cp)
    n = len(ws_pt.pre_tokenize_str("a" + c + "a"))
    if n == 1:
        sets["regexWord"].append(cp)
    elif n == 2:
        sets["regexSpace"].append(cp)
    is_l = len(bl.pre_tokenize_str("a" + c)) == 1
    is_n = len(bl.pre_tokenize_str("1" + c)) == 1
    if is_l:
        sets["onigL"].append(cp)
    if is_n:
        sets["onigN"].append(cp)
    if not is_l and not is_n and len(bl.pre_tokenize_str("!" + c)) == 2:
        sets["onigS"].append(cp)
    if len(digits.pre_tokenize_str("a" + c + "a")) == 3:
        sets["numeric"].append(cp)
    k = nfkd.normalize_str(c)
    if k != c and not 0xAC00 <= cp <= 0xD7A3:
        nfkd_map[cp] = [ord(x) for x in k]
    lo = lower.normalize_str(c)
    if lo != c:
        lower_map[cp] = [ord(x) for x in lo]

# Hangul syllables: check the algorithmic decomposition against the library.
SBase, LBase, VBase, TBase, VCount, TCount = 0xAC00, 0x1100, 0x1161, 0x11A7, 21, 28
for cp in range(0xAC00, 0xD7A4):
    s = cp - SBase
    exp = [LBase + s // (VCount * TCount), VBase + (s % (VCount * TCount)) // TCount]
    if s % TCount:
        exp.append(TBase + s % TCount)
    assert [ord(x) for x in nfd.normalize_str(chr(cp))] == exp, hex(cp)

ccc = {}
for cp in cps:
    k = unicodedata.combining(chr(cp))
    if not k:
        continue
    m = chr(cp)
    probe = ("a" + m + "\u0334") if k > 1 else ("a\u0301" + m)
    got = nfd.normalize_str(probe)
    if (k > 1 and got == "a\u0334" + m) or (k == 1 and got == "a" + m + "\u0301"):
        ccc[cp] = k

# canonical composition pairs: primary composites recompose to themselves under the library's NFC
compose = []
for cp, d in nfd_map.items():
    if nfc.normalize_str(chr(cp)) != chr(cp):
        continue  # excluded from composition (singletons, non-starters, exclusions)
    first = nfc.normalize_str("".join(chr(x) for x in d[:-1]))
    if len(first) != 1:
        continue
    compose.append((ord(first), d[-1], cp))
for a, b, c in compose:
    assert nfc.normalize_str(chr(a) + chr(b)) == chr(c), (hex(a), hex(b), hex(c))

def ranges(cps):
    """base-36 'gap,len' pairs: gap from the end of the previous range, then the range's length."""
    outp, prev, i = [], 0, 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        outp.append(f"{cps[i] - prev:x},{j - i + 1:x}")
        prev = cps[j] + 1
        i = j + 1
    return ";".join(outp)

def mapping(m):
    """';'-separated entries 'delta:cp.cp.cp' in hex, delta from the previous key."""
    outp, prev = [], 0
    for k in sorted(m):
        outp.append(f"{k - prev:x}:" + ".".join(f"{x:x}" for x in m[k]))
        prev = k
    return ";".join(outp)

by_class = {}
for cp, k in sorted(ccc.items()):
    by_class.setdefault(k, []).append(cp)

with open(out, "w", encoding="utf-8") as f:
    f.write("// Generated by scripts/gen-unicode-tables.py from the Rust `tokenizers` library "
            f"{tokenizers.__version__} (Python bindings); ccc from Python unicodedata {unicodedata.unidata_version}.\n")
    f.write("// Do not edit. Encoding: see src/tokenizer/unicode.ts.\n\n")
    f.write(f"export const TOKENIZERS_VERSION = '{tokenizers.__version__}';\n")
    f.write(f"export const UNICODEDATA_VERSION = '{unicodedata.unidata_version}';\n")
    for k, v in sets.items():
        f.write(f"export const {k.upper()} = '{ranges(sorted(v))}';\n")
    f.write(f"export const LOWER = '{mapping(lower_map)}';\n")
    f.write(f"export const NFD = '{mapping(nfd_map)}';\n")
    f.write(f"export const NFKD = '{mapping(nfkd_map)}';\n")
    compose.sort(key=lambda t: t[2])
    f.write("export const COMPOSE = '" + ";".join(f"{a:x}.{b:x}.{c:x}" for a, b, c in compose) + "';\n")
    f.write("export const CCC: Record<number, string> = {\n")
    for k in sorted(by_class):
        f.write(f"  {k}: '{ranges(by_class[k])}',\n")
    f.write("};\n")
print({k: len(v) for k, v in sets.items()}, "lower", len(lower_map), "nfd", len(nfd_map), "nfkd", len(nfkd_map), "compose", len(compose), "ccc", len(ccc), file=sys.stderr)
