"""Runs the PyTorch training peer, ../shared/tools/peer-train.py, for a given number of steps, so that
bench/train.ts measures both sides in one run on the same batches. The peer is not copied: its source is read and
executed with four edits, each checked to apply exactly once (the script fails loudly if the peer changes):
  1. after its data are built and shuffled, the first STEPS x B pairs are written to DUMP (JSONL) for static-embed;
  2. the training loop stops after STEPS steps;
  3. each step (its own tokenization, the loss, backward, AdamW) is timed;
  4. the evaluation after training is skipped; the step times and versions are printed as one JSON line.
Usage: PYTHON bench/peers/peer-train-steps.py PEER_TRAIN_PY STEPS DUMP      (env B, DIM, LR as peer-train.py)
"""
import json, sys, time

path, steps, dump = sys.argv[1], int(sys.argv[2]), sys.argv[3]
src = open(path, encoding="utf-8").read()


def edit(old, new):
    global src
    assert src.count(old) == 1, f"{path} changed: {old!r} is not there exactly once; update {__file__}"
    src = src.replace(old, new)


edit("steps = len(pairs) // B\n",
     "steps = len(pairs) // B\n"
     "with open(_DUMP, 'w', encoding='utf-8') as _f:\n"
     "    for _a, _p in pairs[:_STEPS * B]: _f.write(json.dumps({'anchor': _a, 'positive': _p}, ensure_ascii=False) + '\\n')\n")
edit("for s in range(steps):\n", "_times = []\nfor s in range(min(steps, _STEPS)):\n    _t0 = time.perf_counter()\n")
edit("    opt.zero_grad(); loss.backward(); opt.step(); sched.step()\n",
     "    opt.zero_grad(); loss.backward(); opt.step(); sched.step()\n    _times.append(time.perf_counter() - _t0)\n")
edit("r = evaluate()\n",
     "print(json.dumps({'step_seconds': _times, 'batch': B, 'dim': DIM, 'dims': MDIMS, 'threads': torch.get_num_threads(),"
     " 'torch': torch.__version__, 'python': sys.version.split()[0]}), flush=True)\nraise SystemExit(0)\n")
code = compile(src, path, "exec")
exec(code, {"__name__": "__main__", "__file__": path, "_STEPS": steps, "_DUMP": dump})
