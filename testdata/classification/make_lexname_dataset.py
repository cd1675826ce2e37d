"""Makes the labelled data set of BertGen's text classification examples from WordNet 3.0.

Each noun synset of /usr/share/wordnet/data.noun (Debian's wordnet-base) whose lexicographer file is
one of CLASSES gives one example: its definition (the gloss before any quoted example sentence),
labelled with the lexicographer file's name. The head words are not in the text. Each class is
shuffled with a fixed seed and cut to PER_CLASS examples, the first HELD_OUT of which are held out.
Run from this directory: python3 make_lexname_dataset.py
"""
import gzip
import random
import re

# WordNet's lexicographer files (lexnames) of the chosen classes, by their number in data.noun
CLASSES = {5: 'noun.animal', 6: 'noun.artifact', 13: 'noun.food', 15: 'noun.location', 18: 'noun.person',
           20: 'noun.plant'}
PER_CLASS = 1100
HELD_OUT = 100
SEED = 20261204

by_class = {name: [] for name in CLASSES.values()}
for line in open('/usr/share/wordnet/data.noun', encoding='latin-1'):
    if line.startswith('  ') or '|' not in line:
        continue
    fields = line.split(' ', 2)
    lex = int(fields[1])
    if lex not in CLASSES:
        continue
    gloss = line.split('|', 1)[1].strip()
    definition = re.split(r';\s*(?=")', gloss)[0].strip().rstrip(';').strip()
    definition = re.sub(r'\s+', ' ', definition)
    if len(definition.split()) < 3 or '\t' in definition:
        continue
    by_class[CLASSES[lex]].append(definition)

rng = random.Random(SEED)
train, held_out = [], []
for name in sorted(by_class):
    texts = sorted(set(by_class[name]))
    rng.shuffle(texts)
    texts = texts[:PER_CLASS]
    held_out += [(name, t) for t in texts[:HELD_OUT]]
    train += [(name, t) for t in texts[HELD_OUT:]]
rng.shuffle(train)
rng.shuffle(held_out)
for file, rows in (('wordnet-lexnames-train.tsv.gz', train), ('wordnet-lexnames-heldout.tsv.gz', held_out)):
    with gzip.GzipFile(file, 'wb', mtime=0) as f:
        f.write(''.join(f'{label}\t{text}\n' for label, text in rows).encode('utf-8'))
    print(file, len(rows))
