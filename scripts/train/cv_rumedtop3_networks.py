#!/usr/bin/env python3
"""Cross-validation experiments for RuMedTop3 networks over navec (round 5 of docs/experiments/rumedtop3.md).

Trains one network variant out-of-fold on the 5 seeded folds of `scripts/tune-dp.ts cv` (read from
the --linear-oof file of `scripts/train/dump-linear-probs.ts`, which also holds the linear model's
out-of-fold probabilities and the label knowledge texts), prints the network's CV accuracy / hit@3
alone and the best log-linear or mean ensemble with the linear model (weight grid, accuracy + hit@3),
appends that line to OUT_DIR/results.jsonl and saves the out-of-fold probabilities as
OUT_DIR/oof-NAME.npy (for `--combine`). Dev is never read.

Variants: `mlp` (mean + max of frozen navec vectors, one hidden layer: the committed member's
recipe), `ft` (the same with the embeddings fine-tuned and every training word of count >= 2 in the
vocabulary), `cnn` (mean + max plus max-pooled convolutions of widths 2 and 3 over the navec
sequence). Options: --seeds (networks averaged, geometric mean), --know W (label knowledge as
pseudo-examples of loss weight W). torch runs on one thread (much faster on a shared CPU).

  python3 scripts/train/cv_rumedtop3_networks.py mlp --data DATA --linear-oof LINEAR_OOF.json --out-dir /tmp/cv --know 0.3
  python3 scripts/train/cv_rumedtop3_networks.py --combine cnn mlp --data DATA --linear-oof LINEAR_OOF.json --out-dir /tmp/cv
"""
import sys, os, json, time, argparse, itertools
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
import train_rumedtop3_navec as T
torch.set_num_threads(1)
ap=argparse.ArgumentParser(); ap.add_argument('variant', nargs='?'); ap.add_argument('--data'); ap.add_argument('--linear-oof', required=True); ap.add_argument('--out-dir', required=True)
ap.add_argument('--combine', nargs='+', help='names of saved out-of-fold runs: grid-search their log-linear weights with the linear model'); ap.add_argument('--seeds',default='1'); ap.add_argument('--epochs',type=int,default=30)
ap.add_argument('--hidden',type=int,default=512); ap.add_argument('--lr',type=float,default=1e-3); ap.add_argument('--filters',type=int,default=256)
ap.add_argument('--drop',type=float,default=0.5); ap.add_argument('--indrop',type=float,default=0.2); ap.add_argument('--emb-lr',type=float,default=0.0)
ap.add_argument('--tag',default=''); ap.add_argument('--wd',type=float,default=0.0)
ap.add_argument('--know',type=float,default=0)
a=ap.parse_args()
lin=json.load(open(a.linear_oof))
if a.combine:
    train=T.read_jsonl(os.path.join(a.data,'rumedtop3/train.jsonl')); li={l:i for i,l in enumerate(lin['labels'])}
    y=np.array([li[r['code']] for r in train]); L=np.log(np.maximum(np.array(lin['oof']),1e-9))
    Ms=[np.log(np.maximum(np.load(os.path.join(a.out_dir,f'oof-{n}.npy')),1e-9)) for n in a.combine]
    res=[]
    for ws in itertools.product([0,0.05,0.1,0.15,0.2,0.25,0.3,0.4],repeat=len(Ms)):
        if sum(ws)<0.8:
            sc=T.scores((1-sum(ws))*L+sum(w*M for w,M in zip(ws,Ms)),y); res.append((sum(sc),sc,ws))
    res.sort(key=lambda r:-r[0])
    for r in res[:5]: print(f'accuracy {r[1][0]:.4f} hit@3 {r[1][1]:.4f} weights {dict(zip(a.combine,r[2]))}')
    sys.exit(0)
DATA=a.data
from navec import Navec
nv=Navec.load(T.default_navec_path())
train=T.read_jsonl(f'{DATA}/rumedtop3/train.jsonl')
labels=sorted({r['code'] for r in train}); li={l:i for i,l in enumerate(labels)}
y=np.array([li[r['code']] for r in train])
tt=[T.tokens(r['symptoms']) for r in train]
words={w for ts in tt for w in ts if w in nv}
words|={w for w in T.tokens(open(f'{DATA}/ruccod/mkb2descr.yaml',encoding='utf8').read()) if w in nv}
K=lin['knowledge'] if a.know else {}
kt=[(T.tokens(t),li[l]) for l,ts in sorted(K.items()) for t in ts]
words|={w for ts,_ in kt for w in ts if w in nv}
assert lin['labels']==labels
folds=np.array(lin['folds']); oof_lin=np.array(lin['oof'])
C=len(labels)
if a.variant in ('ft',):
    # trainable vocabulary: every training word (count>=1) plus navec title words
    from collections import Counter
    cnt=Counter(w for ts in tt for w in ts)
    vocab=sorted(words|{w for w,c in cnt.items() if c>=2})
else:
    vocab=sorted(words)
index={w:i+2 for i,w in enumerate(vocab)}
emb=np.zeros((len(vocab)+2,300),np.float32)
for w,i in index.items():
    if w in nv: emb[i]=nv[w]
def ids(ts, L=100):
    return [index.get(w,1) for w in ts][:L] or [1]
def pad(seqs):
    L=max(len(s) for s in seqs); X=np.zeros((len(seqs),L),np.int64)
    for i,s in enumerate(seqs): X[i,:len(s)]=s
    return X
Itr=[ids(ts) for ts in tt]
E=torch.tensor(emb)
class Net(nn.Module):
    def __init__(s, kind):
        super().__init__(); s.kind=kind
        s.emb=nn.Embedding.from_pretrained(E.clone(), freeze=(a.emb_lr==0), padding_idx=0)
        s.indrop=nn.Dropout(a.indrop)
        if kind=='cnn':
            s.convs=nn.ModuleList([nn.Conv1d(300,a.filters,k,padding=k//2) for k in (2,3)])
            d=2*a.filters+600
        else: d=600
        s.head=nn.Sequential(nn.Linear(d,a.hidden),nn.ReLU(),nn.Dropout(a.drop),nn.Linear(a.hidden,C))
    def forward(s,x):
        known=(x>1).float().unsqueeze(-1); e=s.emb(x)*known
        mean=e.sum(1)/known.sum(1).clamp(min=1)
        mx=torch.where(known>0,e,torch.full_like(e,-1e4)).max(1).values; mx=torch.where(mx<=-1e4,torch.zeros_like(mx),mx)
        feats=[mean,mx]
        if s.kind=='cnn':
            h=s.indrop(e).transpose(1,2); valid=(x>0).unsqueeze(1)
            for c in s.convs:
                o=F.relu(c(h))[:,:,:x.shape[1]]
                feats.append(torch.where(valid,o,torch.zeros_like(o)).max(2).values)
        z=torch.cat(feats,1)
        if s.kind!='cnn': z=s.indrop(z)
        return s.head(z)
FAST = a.variant=='mlp' and a.emb_lr==0
def pooledX(I):
    with torch.no_grad():
        out=[]
        for i in range(0,len(I),512):
            x=torch.tensor(pad(I[i:i+512])); known=(x>1).float().unsqueeze(-1); e=E[x]*known
            mean=e.sum(1)/known.sum(1).clamp(min=1)
            mx=torch.where(known>0,e,torch.full_like(e,-1e4)).max(1).values; mx=torch.where(mx<=-1e4,torch.zeros_like(mx),mx)
            out.append(torch.cat([mean,mx],1))
        return torch.cat(out)
if FAST: Xall=pooledX(Itr)
if a.know: KI=[ids(ts) for ts,_ in kt]; yk=np.array([c for _,c in kt])
if FAST and a.know: Xk=pooledX([ids(ts) for ts,_ in kt]); yk=np.array([c for _,c in kt])
def fit_fast(X, yy, seed):
    wt=torch.ones(len(X))
    if a.know:
        X=torch.cat([X,Xk]); yy=np.concatenate([yy,yk]); wt=torch.cat([wt,torch.full((len(yk),),a.know)])
    torch.manual_seed(seed); np.random.seed(seed)
    m=T.Head(600,a.hidden,C,a.indrop,a.drop)
    opt=torch.optim.AdamW(m.parameters(),lr=a.lr,weight_decay=a.wd) if a.wd else torch.optim.Adam(m.parameters(),lr=a.lr)
    g=torch.Generator().manual_seed(seed); yt=torch.tensor(yy)
    for ep in range(a.epochs):
        m.train(); perm=torch.randperm(len(X),generator=g)
        for i in range(0,len(X),64):
            b=perm[i:i+64]; loss=(F.cross_entropy(m(X[b]),yt[b],reduction='none')*wt[b]).sum()/wt[b].sum(); opt.zero_grad(); loss.backward(); opt.step()
    m.eval(); return m
def fit(I, yy, seed):
    torch.manual_seed(seed); np.random.seed(seed)
    m=Net(a.variant)
    params=[{'params':[p for n,p in m.named_parameters() if not n.startswith('emb.')],'lr':a.lr}]
    if a.emb_lr>0: params.append({'params':m.emb.parameters(),'lr':a.emb_lr})
    opt=torch.optim.AdamW(params,weight_decay=a.wd) if a.wd else torch.optim.Adam(params)
    wt=torch.ones(len(I))
    if a.know:
        I=list(I)+KI; yy=np.concatenate([yy,yk]); wt=torch.cat([wt,torch.full((len(yk),),a.know)])
    g=torch.Generator().manual_seed(seed); yt=torch.tensor(yy)
    for ep in range(a.epochs):
        m.train(); perm=torch.randperm(len(I),generator=g).numpy()
        for i in range(0,len(I),64):
            b=perm[i:i+64]; xb=torch.tensor(pad([I[j] for j in b]))
            loss=(F.cross_entropy(m(xb),yt[b],reduction='none')*wt[b]).sum()/wt[b].sum(); opt.zero_grad(); loss.backward(); opt.step()
    m.eval(); return m
def pred(m,I):
    out=[]
    with torch.no_grad():
        for i in range(0,len(I),256): out.append(F.log_softmax(m(torch.tensor(pad(I[i:i+256]))),1).numpy())
    return np.concatenate(out)
seeds=[int(s) for s in a.seeds.split(',')]
t0=time.time()
oof=np.zeros((len(y),C))
for k in range(5):
    tr=np.where(folds!=k)[0]; te=np.where(folds==k)[0]
    acc=np.zeros((len(te),C))
    for s in seeds:
        if FAST:
            m=fit_fast(Xall[tr],y[tr],s)
            with torch.no_grad(): acc+=F.log_softmax(m(Xall[te]),1).numpy()
        else:
            m=fit([Itr[i] for i in tr],y[tr],s); acc+=pred(m,[Itr[i] for i in te])
    lp=acc/len(seeds); p=np.exp(lp-lp.max(1,keepdims=True)); oof[te]=p/p.sum(1,keepdims=True)
    print(f'fold {k} {time.time()-t0:.0f}s',flush=True)
name=a.variant+(a.tag and '-'+a.tag)
os.makedirs(a.out_dir,exist_ok=True); np.save(os.path.join(a.out_dir,f'oof-{name}.npy'),oof)
res={'name':name,'args':vars(a),'alone':T.scores(oof,y)}
best=None
for mode in ('log','mean'):
    for w in (0.1,0.15,0.2,0.25,0.3,0.35,0.4,0.5,0.6):
        s=T.scores(T.combine(oof_lin,oof,w,mode),y)
        if best is None or sum(s)>best[0]: best=(sum(s),mode,w,s)
res['ens']=best[1:]; res['linear']=T.scores(oof_lin,y); res['sec']=round(time.time()-t0)
print(json.dumps(res),flush=True)
open(os.path.join(a.out_dir,'results.jsonl'),'a').write(json.dumps(res)+'\n')
