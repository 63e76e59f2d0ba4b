"""Small solutions of one task, and disguised copies of one of them, shared by the tests."""

ORIGINAL = """import sys


def read_words(text):
    words = []
    for line in text.splitlines():
        for raw in line.split():
            word = raw.strip(".,;:!?").lower()
            if word:
                words.append(word)
    return words


def count_words(words):
    counts = {}
    for word in words:
        counts[word] = counts.get(word, 0) + 1
    return counts


def top_words(counts, limit):
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:limit]


def main():
    text = sys.stdin.read()
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    for word, count in top_words(count_words(read_words(text)), limit):
        print(f"{word} {count}")


if __name__ == "__main__":
    main()
"""

# Same task, written independently: a different approach with the usual shared idioms.
INDEPENDENT = """import re
import sys
from collections import Counter


def solve(stream, n=10):
    tokens = re.findall(r"[a-z']+", stream.read().lower())
    frequency = Counter(tokens)
    best = frequency.most_common()
    best.sort(key=lambda pair: (-pair[1], pair[0]))
    return best[:n]


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    for token, total in solve(sys.stdin, n):
        print(token, total)
"""

REFORMATTED = '''import sys
# Word counter, my own work!!


def read_words(text):
  """Split text into lower-case words."""
  words = [
  ]
  for line in (text.splitlines()):   # every line
    for raw in line.split():
      word = raw.strip('.,;:!?').lower()
      if word:
        words.append(word)
  return words

def count_words(words):
  counts = {}
  for word in words:
    # tally
    counts[word] = counts.get(word, 0,) + 1
  return counts

def top_words(counts, limit):
  ranked = sorted(counts.items(),
                  key=lambda item: (-item[1], item[0]),)
  return ranked[:limit]

def main():
  text = sys.stdin.read()
  limit = (int(sys.argv[1]) if len(sys.argv) > 1 else 10)
  for (word, count) in top_words(count_words(read_words(text)), limit):
    print(f'{word} {count}')

if __name__ == '__main__':
    main()
'''

RENAMED = """import sys


def tokenize(blob):
    out = []
    for row in blob.splitlines():
        for piece in row.split():
            w = piece.strip("!?.").lower()
            if w:
                out.append(w)
    return out


def tally(items):
    freq = {}
    for it in items:
        freq[it] = freq.get(it, 1) + 2
    return freq


def best_of(freq, k):
    order = sorted(freq.items(), key=lambda p: (-p[0], p[1]))
    return order[:k]


def run():
    blob = sys.stdin.read()
    k = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    for w, c in best_of(tally(tokenize(blob)), k):
        print(f"{w}: {c}")


if __name__ == "__main__":
    run()
"""

REORDERED = """import sys


def main():
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    text = sys.stdin.read()
    for word, count in top_words(count_words(read_words(text)), limit):
        print(f"{word} {count}")


def top_words(counts, limit):
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:limit]


def count_words(words):
    counts = {}
    for word in words:
        counts[word] = counts.get(word, 0) + 1
    return counts


def read_words(text):
    words = []
    for line in text.splitlines():
        for raw in line.split():
            word = raw.strip(".,;:!?").lower()
            if word:
                words.append(word)
    return words


if __name__ == "__main__":
    main()
"""

DEAD_CODE = """import sys


def read_words(text):
    words = []
    debug = 0
    for line in text.splitlines():
        if False:
            print("never")
        for raw in line.split():
            word = raw.strip(".,;:!?").lower()
            if word:
                words.append(word)
    return words
    print("unreachable")


def count_words(words):
    counts = {}
    seen = len(words) * 0
    for word in words:
        counts[word] = counts.get(word, 0) + 1
        pass
    return counts


def top_words(counts, limit):
    unused = 42
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:limit]


def main():
    text = sys.stdin.read()
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    for word, count in top_words(count_words(read_words(text)), limit):
        print(f"{word} {count}")


if __name__ == "__main__":
    main()
"""

SPLIT_AND_MERGED = """import sys


def read_words(text):
    words = []
    for line in text.splitlines():
        for raw in line.split():
            stripped = raw.strip(".,;:!?")
            word = stripped.lower()
            if word:
                words.append(word)
    return words


def count_words(words):
    counts = {}
    for word in words:
        counts[word] = counts.get(word, 0) + 1
    return counts


def top_words(counts, limit):
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    result = ranked[:limit]
    return result


def main():
    text, limit = sys.stdin.read(), int(sys.argv[1]) if len(sys.argv) > 1 else 10
    words = read_words(text)
    counted = count_words(words)
    for word, count in top_words(counted, limit):
        print(f"{word} {count}")


if __name__ == "__main__":
    main()
"""

DISGUISES = {
    "comments and formatting": REFORMATTED,
    "renamed identifiers and changed literals": RENAMED,
    "reordered functions and statements": REORDERED,
    "inserted dead code": DEAD_CODE,
    "split and merged statements": SPLIT_AND_MERGED,
}
