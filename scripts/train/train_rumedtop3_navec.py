#!/usr/bin/env python3
"""Trains the RuMedTop3 navec classifier and exports it as an ONNX multi-label-classification model.

The model: every word of the complaints (lower-cased, ё -> е, split on anything but Russian/Latin
letters and digits) looked up in navec (Russian word embeddings shipped in PyPI's `natasha`
package; 300 dimensions, MIT licence), the mean and the max of the known words' vectors
(frozen embeddings), then a one-hidden-layer network (ReLU, dropout) to a softmax over the
RuMedTop3 training labels. Inference runs in Node through onnxruntime
(`src/pipeline/prediction/onnx/OnnxMultiLabelClassifier.ts`, `"activation": "softmax"`), the tokenizer is a
word-level `tokenizer.json` (WordPiece with whole words only) read by `@huggingface/transformers`.

The embedding rows committed with the model are navec's own vectors for navec's own words: the
navec words that occur in the training complaints or in ICD-10 titles, plus (with --lexemes) the
other inflected forms of those words that navec knows (pymorphy3), so unseen inflections of a
known word still carry meaning at prediction time.

With --linear-oof (JSON written by `scripts/train/dump-linear-probs.ts`: the linear model's
out-of-fold probabilities on train, same 5 folds), the network is also trained out-of-fold and the
ensemble weight and mode are chosen by that cross-validation (dev is only scored).

Usage (fixed seeds; CPU, a few minutes):
  pip install -r scripts/train/requirements.txt
  python3 scripts/train/train_rumedtop3_navec.py --data ../shared/data --out models/navec-rumedtop3 \
      [--linear-oof /tmp/linear.json] [--seeds 1,2,3] [--knowledge-weight 0.3]

--seeds trains one network per seed and exports their geometric mean (mean of log-softmax outputs)
in one graph; --knowledge-weight adds the label knowledge texts of the --linear-oof file (ICD-10
titles, RuCCoD mentions) as pseudo-examples of that loss weight. The defaults rebuild the committed
model byte for byte.
"""
import argparse, hashlib, importlib.metadata, json, os, re, sys, time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
import torch
import torch.nn as nn
import torch.nn.functional as F

NAVEC_FILE = 'navec_news_v1_1B_250K_300d_100q.tar'


def normalize(text):
    """Same as the tokenizer.json normalizer: Lowercase, ё -> е, non-[а-яa-z0-9] -> space."""
    return re.sub(r'[^а-яa-z0-9]+', ' ', text.lower().replace('ё', 'е'))


def tokens(text):
    return normalize(text).split()


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    return h.hexdigest()


def default_navec_path():
    import natasha  # noqa: F401  (the package ships the navec archive)
    return os.path.join(os.path.dirname(natasha.__file__), 'data', 'emb', NAVEC_FILE)


def read_jsonl(path):
    with open(path, encoding='utf8') as f:
        return [json.loads(line) for line in f if line.strip()]


def tokenizer_json(words):
    vocab = {'[PAD]': 0, '[UNK]': 1}
    for w in words:
        vocab[w] = len(vocab)
    special = lambda i, c: {'id': i, 'content': c, 'single_word': False, 'lstrip': False, 'rstrip': False, 'normalized': False, 'special': True}
    return {
        'version': '1.0', 'truncation': None, 'padding': None,
        'added_tokens': [special(0, '[PAD]'), special(1, '[UNK]')],
        'normalizer': {'type': 'Sequence', 'normalizers': [
            {'type': 'Lowercase'},
            {'type': 'Replace', 'pattern': {'String': 'ё'}, 'content': 'е'},
            {'type': 'Replace', 'pattern': {'Regex': '[^а-яa-z0-9]+'}, 'content': ' '}]},
        'pre_tokenizer': {'type': 'WhitespaceSplit'},
        'post_processor': None, 'decoder': None,
        # Whole words only (no ## pieces): a word outside the vocabulary becomes [UNK].
        'model': {'type': 'WordPiece', 'unk_token': '[UNK]', 'continuing_subword_prefix': '##', 'max_input_chars_per_word': 100, 'vocab': vocab},
    }


def pooled(token_lists, index, emb):
    """Mean and max of the known words' vectors (zeros for a text with none): [n, 2 * dim]."""
    dim = emb.shape[1]
    X = np.zeros((len(token_lists), 2 * dim), np.float32)
    for j, ts in enumerate(token_lists):
        ids = [index[w] for w in ts if w in index]
        if ids:
            V = emb[ids]
            X[j, :dim] = V.mean(0)
            X[j, dim:] = V.max(0)
    return X


class Head(nn.Module):
    def __init__(self, dim, hidden, classes, in_drop, drop):
        super().__init__()
        self.net = nn.Sequential(nn.Dropout(in_drop), nn.Linear(dim, hidden), nn.ReLU(), nn.Dropout(drop), nn.Linear(hidden, classes))

    def forward(self, x):
        return self.net(x)


def fit(X, y, classes, args, seed, extra=None):
    """One network; `extra` = (X, y, weight): pseudo-examples (label knowledge) with a lower loss weight."""
    torch.manual_seed(seed)
    np.random.seed(seed)
    m = Head(X.shape[1], args.hidden, classes, args.input_dropout, args.dropout)
    opt = torch.optim.Adam(m.parameters(), lr=args.lr)
    wt = None
    if extra is not None:
        wt = torch.cat([torch.ones(len(X)), torch.full((len(extra[1]),), float(extra[2]))])
        X, y = np.concatenate([X, extra[0]]), np.concatenate([y, extra[1]])
    Xt, yt = torch.tensor(X), torch.tensor(y)
    g = torch.Generator().manual_seed(seed)
    for _ in range(args.epochs):
        m.train()
        perm = torch.randperm(len(X), generator=g)
        for i in range(0, len(X), args.batch):
            b = perm[i:i + args.batch]
            if wt is None:
                loss = F.cross_entropy(m(Xt[b]), yt[b])
            else:
                loss = (F.cross_entropy(m(Xt[b]), yt[b], reduction='none') * wt[b]).sum() / wt[b].sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
    m.eval()
    return m


def predict(heads, X):
    """The normalised geometric mean of the heads' softmax outputs (what the ONNX graph computes)."""
    with torch.no_grad():
        x = torch.tensor(X)
        return F.softmax(torch.stack([F.log_softmax(m(x), 1) for m in heads]).mean(0), 1).numpy()


def scores(p, y):
    top = np.argsort(-p, 1, kind='stable')[:, :3]
    return float((top[:, 0] == y).mean()), float((top == y[:, None]).any(1).mean())


def combine(pl, pn, w, mode):
    return (1 - w) * np.log(np.maximum(pl, 1e-9)) + w * np.log(np.maximum(pn, 1e-9)) if mode == 'log' else (1 - w) * pl + w * pn


def export_onnx(path, emb, heads):
    """input_ids [batch, tokens] int64 -> logits [batch, labels]; ids 0 (pad) and 1 (unk) are masked out.

    With several heads (one per seed) the output is the mean of their log-softmax outputs, so the
    softmax the runtime applies gives the normalised geometric mean of the heads' distributions.
    """
    inits = [
        numpy_helper.from_array(emb.astype(np.float32), 'embeddings'),
        numpy_helper.from_array(np.array(1, np.int64), 'one_i'),
        numpy_helper.from_array(np.array(1.0, np.float32), 'one_f'),
        numpy_helper.from_array(np.array(-1e4, np.float32), 'neg'),
        numpy_helper.from_array(np.array(0.0, np.float32), 'zero_f'),
        numpy_helper.from_array(np.array(float(len(heads)), np.float32), 'n_heads'),
        numpy_helper.from_array(np.array([1], np.int64), 'axis1'),
        numpy_helper.from_array(np.array([-1], np.int64), 'axis_last'),
    ]
    n = helper.make_node
    nodes = [
        n('Gather', ['embeddings', 'input_ids'], ['e'], axis=0),                 # [B,T,D]
        n('Greater', ['input_ids', 'one_i'], ['known']),                          # [B,T] bool
        n('Cast', ['known'], ['mask'], to=TensorProto.FLOAT),
        n('Unsqueeze', ['mask', 'axis_last'], ['mask3']),                         # [B,T,1]
        n('Mul', ['e', 'mask3'], ['em']),
        n('ReduceSum', ['em', 'axis1'], ['esum'], keepdims=0),                    # [B,D]
        n('ReduceSum', ['mask3', 'axis1'], ['count'], keepdims=0),                # [B,1]
        n('Max', ['count', 'one_f'], ['count1']),
        n('Div', ['esum', 'count1'], ['mean']),
        n('Not', ['known'], ['unknown']),
        n('Unsqueeze', ['unknown', 'axis_last'], ['unknown3']),
        n('Where', ['unknown3', 'neg', 'e'], ['emax_in']),
        n('ReduceMax', ['emax_in', 'axis1'], ['emax_raw'], keepdims=0),
        n('Equal', ['emax_raw', 'neg'], ['none_known']),
        n('Where', ['none_known', 'zero_f', 'emax_raw'], ['emax']),
        n('Concat', ['mean', 'emax'], ['x'], axis=1),                             # [B,2D]
    ]
    single = len(heads) == 1  # one network: plain logits, the graph of the first committed model
    if single:
        inits = [t for t in inits if t.name != 'n_heads']
    outs = []
    for k, m in enumerate(heads):
        lin1, lin2 = m.net[1], m.net[4]
        sfx = '' if single else f'_{k}'
        inits += [
            numpy_helper.from_array(lin1.weight.detach().numpy().T.copy(), f'w1{sfx}'),
            numpy_helper.from_array(lin1.bias.detach().numpy(), f'b1{sfx}'),
            numpy_helper.from_array(lin2.weight.detach().numpy().T.copy(), f'w2{sfx}'),
            numpy_helper.from_array(lin2.bias.detach().numpy(), f'b2{sfx}'),
        ]
        nodes += [
            n('MatMul', ['x', f'w1{sfx}'], [f'h0{sfx}']),
            n('Add', [f'h0{sfx}', f'b1{sfx}'], [f'h1{sfx}']),
            n('Relu', [f'h1{sfx}'], [f'h{sfx}']),
            n('MatMul', [f'h{sfx}', f'w2{sfx}'], [f'l0{sfx}']),
            n('Add', [f'l0{sfx}', f'b2{sfx}'], ['logits' if single else f'l{sfx}']),
        ]
        if not single:
            nodes.append(n('LogSoftmax', [f'l{sfx}'], [f'ls{sfx}'], axis=1))
            outs.append(f'ls{sfx}')
    if not single:
        nodes += [n('Sum', outs, ['ls_sum']), n('Div', ['ls_sum', 'n_heads'], ['logits'])]
    else:  # the first committed model's initializer order (byte-identical rebuilds)
        inits = inits[:1] + inits[-4:] + inits[1:-4]
    graph = helper.make_graph(
        nodes, 'rumedtop3_navec',
        [helper.make_tensor_value_info('input_ids', TensorProto.INT64, ['batch', 'tokens'])],
        [helper.make_tensor_value_info('logits', TensorProto.FLOAT, ['batch', heads[0].net[4].out_features])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 18)], producer_name='icdkg scripts/train')
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def check_onnx(path, heads, token_lists, index, emb):
    """The exported graph (run by onnx's reference evaluator on a few texts) gives the networks' distribution."""
    from onnx.reference import ReferenceEvaluator
    seqs = [[index.get(w, 1) for w in ts] or [1] for ts in token_lists]
    ids = np.zeros((len(seqs), max(len(q) for q in seqs)), np.int64)
    for i, q in enumerate(seqs):
        ids[i, :len(q)] = q
    logits = ReferenceEvaluator(path).run(None, {'input_ids': ids})[0]
    got = np.exp(logits - logits.max(1, keepdims=True))
    got /= got.sum(1, keepdims=True)
    want = predict(heads, pooled(token_lists, index, emb))
    if not np.allclose(got, want, atol=1e-5):
        sys.exit(f'the ONNX graph disagrees with the networks (max difference {np.abs(got - want).max():.2e})')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--data', required=True)
    ap.add_argument('--out', default='models/navec-rumedtop3')
    ap.add_argument('--navec', default=None, help='navec archive (default: the one inside the natasha package)')
    ap.add_argument('--linear-oof', default=None)
    ap.add_argument('--lexemes', action='store_true', help='add the inflected forms navec knows (pymorphy3)')
    ap.add_argument('--knowledge-weight', type=float, default=0.0,
                    help='label knowledge (ICD-10 titles, RuCCoD mentions; from the --linear-oof file) as pseudo-examples of this loss weight')
    ap.add_argument('--seeds', default='1', help='comma-separated seeds: one network per seed, averaged (geometric mean) in one ONNX graph')
    ap.add_argument('--epochs', type=int, default=30)
    ap.add_argument('--hidden', type=int, default=512)
    ap.add_argument('--dropout', type=float, default=0.5)
    ap.add_argument('--input-dropout', type=float, default=0.2)
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--batch', type=int, default=64)
    ap.add_argument('--threads', type=int, default=1, help='torch threads (1 is much faster than the default on a shared CPU)')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    seeds = [int(x) for x in args.seeds.split(',')]
    t0 = time.time()
    from navec import Navec
    navec_path = args.navec or default_navec_path()
    nv = Navec.load(navec_path)
    train_rel, dev_rel, dict_rel = 'rumedtop3/train.jsonl', 'rumedtop3/dev.jsonl', 'ruccod/mkb2descr.yaml'
    train = read_jsonl(os.path.join(args.data, train_rel))
    labels = sorted({r['code'] for r in train})
    li = {l: i for i, l in enumerate(labels)}
    y = np.array([li[r['code']] for r in train])
    train_tokens = [tokens(r['symptoms']) for r in train]
    words = {w for ts in train_tokens for w in ts if w in nv}
    data_files = [{'path': train_rel, 'sha256': sha256_file(os.path.join(args.data, train_rel)), 'examples': len(train)}]
    dict_path = os.path.join(args.data, dict_rel)
    if os.path.exists(dict_path):
        with open(dict_path, encoding='utf8') as f:
            words |= {w for w in tokens(f.read()) if w in nv}
        data_files.append({'path': dict_rel, 'sha256': sha256_file(dict_path), 'examples': 0, 'use': 'vocabulary only (ICD-10 titles)'})
    lin = json.load(open(args.linear_oof)) if args.linear_oof else None
    if lin is not None and lin['labels'] != labels:
        sys.exit('the linear out-of-fold file has other labels')
    knowledge = []
    if args.knowledge_weight > 0:
        if lin is None or 'knowledge' not in lin:
            sys.exit('--knowledge-weight needs --linear-oof written by dump-linear-probs.ts (its "knowledge" texts)')
        knowledge = [(tokens(t), li[l]) for l in labels for t in lin['knowledge'].get(l, [])]
        words |= {w for ts, _ in knowledge for w in ts if w in nv}
        for src in lin.get('knowledgeSources', []):
            data_files.append({**src, 'use': f'label knowledge: pseudo-examples of loss weight {args.knowledge_weight}'})
    if args.lexemes:
        import pymorphy3
        morph = pymorphy3.MorphAnalyzer()
        extra = set()
        for w in sorted(words):
            for parse in morph.parse(w)[:1]:
                for form in parse.lexeme:
                    f = form.word.replace('ё', 'е')
                    if f in nv:
                        extra.add(f)
        words |= extra
    vocab = sorted(words)
    index = {w: i + 2 for i, w in enumerate(vocab)}
    emb = np.zeros((len(vocab) + 2, 300), np.float32)
    for w, i in index.items():
        emb[i] = nv[w]
    X = pooled(train_tokens, index, emb)
    extra = (pooled([ts for ts, _ in knowledge], index, emb), np.array([c for _, c in knowledge]), args.knowledge_weight) if knowledge else None
    classes = len(labels)
    metrics = {}
    ensemble = None
    if lin is not None:
        folds = np.array(lin['folds'])
        oof_lin = np.array(lin['oof'])
        oof = np.zeros_like(oof_lin)
        for k in range(5):
            heads = [fit(X[folds != k], y[folds != k], classes, args, seed, extra) for seed in seeds]
            oof[folds == k] = predict(heads, X[folds == k])
            print(f'fold {k} done ({time.time() - t0:.0f} s)', flush=True)
        metrics['cv5'] = dict(zip(['accuracy', 'hitAt3'], scores(oof, y)))
        metrics['cv5Linear'] = dict(zip(['accuracy', 'hitAt3'], scores(oof_lin, y)))
        best = None
        for mode in ('log', 'mean'):
            for w in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6):
                a, h = scores(combine(oof_lin, oof, w, mode), y)
                if best is None or a + h > best[0]:
                    best = (a + h, mode, w, a, h)
        ensemble = {'mode': best[1], 'weight': best[2], 'chosenBy': '5-fold cross-validation on train (accuracy + hit@3)'}
        metrics['cv5Ensemble'] = {'accuracy': best[3], 'hitAt3': best[4]}
        print(f"cv: network {metrics['cv5']}, linear {metrics['cv5Linear']}, ensemble {ensemble} {metrics['cv5Ensemble']}", flush=True)
    heads = [fit(X, y, classes, args, seed, extra) for seed in seeds]
    dev_path = os.path.join(args.data, dev_rel)
    if os.path.exists(dev_path):
        dev = read_jsonl(dev_path)
        keep = [r for r in dev if r['code'] in li]
        pd = predict(heads, pooled([tokens(r['symptoms']) for r in keep], index, emb))
        yd = np.array([li[r['code']] for r in keep])
        a, h = scores(pd, yd)
        metrics['dev'] = {'accuracy': a, 'hitAt3': h, 'examples': len(dev)}
        print(f'dev (network alone): accuracy {a:.4f}, hit@3 {h:.4f}', flush=True)
        if ensemble and 'dev' in lin and len(lin['dev']) == len(dev):
            # Scored only (the weight was chosen on the cross-validation above).
            ld = np.array([p for p, r in zip(lin['dev'], dev) if r['code'] in li])
            a, h = scores(combine(ld, pd, ensemble['weight'], ensemble['mode']), yd)
            metrics['devEnsemble'] = {'accuracy': a, 'hitAt3': h, 'examples': len(dev)}
            print(f'dev (ensemble): accuracy {a:.4f}, hit@3 {h:.4f}', flush=True)
    os.makedirs(args.out, exist_ok=True)
    export_onnx(os.path.join(args.out, 'model.onnx'), emb, heads)
    check_onnx(os.path.join(args.out, 'model.onnx'), heads, train_tokens[:16], index, emb)
    with open(os.path.join(args.out, 'tokenizer.json'), 'w', encoding='utf8') as f:
        json.dump(tokenizer_json(vocab), f, ensure_ascii=False)
    with open(os.path.join(args.out, 'tokenizer_config.json'), 'w', encoding='utf8') as f:
        json.dump({'tokenizer_class': 'PreTrainedTokenizerFast', 'pad_token': '[PAD]', 'unk_token': '[UNK]', 'model_max_length': 512}, f)
    files = {'model': 'model.onnx', 'tokenizer': 'tokenizer.json', 'tokenizerConfig': 'tokenizer_config.json'}
    manifest = {
        'name': os.path.basename(os.path.normpath(args.out)),
        'task': 'multi-label-classification',
        'activation': 'softmax',
        'version': '1.0.0',
        'files': files,
        'sha256': {k: sha256_file(os.path.join(args.out, v)) for k, v in files.items()},
        'maxLength': 512,
        'batchSize': 64,
        'output': 'logits',
        'threshold': 0,
        'labels': labels,
        'createdBy': 'python3 scripts/train/train_rumedtop3_navec.py ' + ' '.join(sys.argv[1:]).replace(args.data, 'DATA'),
        'embeddings': {
            'source': f'navec {os.path.basename(navec_path)} (shipped in PyPI natasha {importlib.metadata.version("natasha")}; navec {importlib.metadata.version("navec")})',
            'licence': 'MIT (navec, natasha-project)',
            'sha256': sha256_file(navec_path),
            'rows': len(vocab), 'dimensions': 300,
            'vocabulary': 'navec words occurring in the training complaints or ICD-10 titles' + (' plus their inflected forms (pymorphy3)' if args.lexemes else ''),
        },
        'training': {
            'data': data_files,
            'recipe': {'features': 'mean and max of frozen navec vectors of known words', 'hidden': args.hidden, 'dropout': args.dropout,
                       'inputDropout': args.input_dropout, 'knowledgeWeight': args.knowledge_weight, 'epochs': args.epochs, 'lr': args.lr, 'batch': args.batch, 'optimizer': 'Adam',
                       'seeds': seeds, 'combination': 'mean of the networks\' log-softmax outputs (normalised geometric mean)', 'torch': torch.__version__},
            'seconds': round(time.time() - t0, 1),
        },
        'metrics': metrics,
    }
    if ensemble:
        manifest['ensemble'] = ensemble
    with open(os.path.join(args.out, 'manifest.json'), 'w', encoding='utf8') as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write('\n')
    print(f'wrote {args.out}: {len(vocab)} words, {classes} labels, {os.path.getsize(os.path.join(args.out, "model.onnx")) / 2**20:.1f} MiB', flush=True)


if __name__ == '__main__':
    main()
