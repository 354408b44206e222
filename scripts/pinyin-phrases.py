#!/usr/bin/env python3
"""Keeps the phrases a per-character reader would get wrong.

bulletin reads a word from data/pinyin/phrases.txt, longest listed phrase
first, and any character outside a listed phrase by its most common
reading. So a phrase must be listed when that procedure, run over the list
itself, would read it differently from the full data: when its reading
differs from its characters' most common readings (银行 yín háng), or when a
shorter listed phrase inside it would be matched wrongly (人行道 rén xíng
dào, which holds 人行 rén háng).

usage: scripts/pinyin-phrases.py chars.txt words.txt > data/pinyin/phrases.txt
Both inputs are lines of `text: pin yin` (readings with tone marks)."""
import sys

LONGEST = 14

first = {}
with open(sys.argv[1], encoding="utf-8") as chars:
    for line in chars:
        key, _, readings = line.partition(":")
        if readings.split():
            first[key.strip()] = readings.split()[0]

words = {}
lines = {}
with open(sys.argv[2], encoding="utf-8") as source:
    for line in source:
        word, _, reading = line.partition(":")
        word = word.strip()
        words[word] = reading.split()
        lines[word] = line


def read(word, listed):
    """bulletin's reading of `word` with the phrases in `listed`."""
    out, start = [], 0
    while start < len(word):
        for length in range(min(LONGEST, len(word) - start), 1, -1):
            piece = word[start:start + length]
            if piece in listed and len(words[piece]) == length:
                out.extend(words[piece])
                start += length
                break
        else:
            out.append(first.get(word[start], word[start]))
            start += 1
    return out


listed = {w for w, r in words.items() if r != [first.get(c, "") for c in w]}
while True:
    missing = {w for w in words if w not in listed and read(w, listed) != words[w]}
    if not missing:
        break
    listed |= missing
for word in sorted(listed):
    sys.stdout.write(lines[word])
