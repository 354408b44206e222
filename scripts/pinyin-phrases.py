#!/usr/bin/env python3
"""Keeps the phrases whose pinyin differs from their characters' most common
readings: the only ones a per-character fallback would read wrong.

usage: scripts/pinyin-phrases.py chars.txt words.txt > data/pinyin/phrases.txt
Both inputs are lines of `text: pin yin` (readings with tone marks)."""
import sys

first = {}
with open(sys.argv[1], encoding="utf-8") as chars:
    for line in chars:
        key, _, readings = line.partition(":")
        if readings.split():
            first[key.strip()] = readings.split()[0]
with open(sys.argv[2], encoding="utf-8") as words:
    for line in words:
        word, _, reading = line.partition(":")
        word = word.strip()
        if reading.split() != [first.get(c, "") for c in word]:
            sys.stdout.write(line)
