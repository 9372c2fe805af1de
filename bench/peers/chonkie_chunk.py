"""Chonkie's SemanticChunker on the documents of bench/chunk.ts (one core), for its boundary F1 and throughput.

Usage: PYTHON bench/peers/chonkie_chunk.py DOCS.json MODEL2VEC_DIR CHUNK_SIZE RUNS
Prints JSON: {"version", "seconds": [per run], "starts": [[chunk start offsets (code points) after the first] per doc]}.
"""
import json, sys, time
import chonkie
from chonkie import SemanticChunker
from chonkie.embeddings import Model2VecEmbeddings

docs_path, model_dir, chunk_size, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
docs = json.load(open(docs_path, encoding="utf-8"))
chunker = SemanticChunker(embedding_model=Model2VecEmbeddings(model_dir), chunk_size=chunk_size)
chunker.chunk(docs[0])  # warm-up
seconds, starts = [], []
for r in range(runs):
    t0 = time.perf_counter()
    out = [chunker.chunk(d) for d in docs]
    seconds.append(time.perf_counter() - t0)
    starts = [[c.start_index for c in chunks[1:]] for chunks in out]
print(json.dumps({"version": chonkie.__version__, "seconds": seconds, "starts": starts}))
