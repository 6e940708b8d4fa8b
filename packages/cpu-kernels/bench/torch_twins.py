#!/usr/bin/env python3
"""PyTorch twins of the @rpdl/models-3d networks, timed on one training step.

Run by bench/training-step.ts, which compares the per-sample time with the tfjs model's in the
same run. Each twin mirrors its tfjs counterpart layer for layer (same filters, kernel sizes,
strides, LeakyReLU(0.3), batch norm with epsilon 1e-3 and Keras momentum 0.99, spatial dropout,
nearest-neighbour up-sampling, group norm, the VAE branch), so the parameter counts are equal;
the script asserts the count it is told to expect. A training step is: forward in training
mode, the reward-penalty Dice loss (plus Myronenko's 0.1·L2 + 0.1·KL), backward, Adam.

Differences that do not change the arithmetic: channels-first layout; 'same' padding of a
stride-2 convolution is symmetric here (tfjs puts the odd voxel after), which shifts the
sampling grid by one voxel but costs the same.

    /usr/bin/python3 torch_twins.py --model unet3d --size 64 --batch 2 --base 4 --depth 5 \
        --threads 2 --seconds 20 [--expect-params N]

Prints one JSON line: {"model", "params", "threads", "steps", "secondsPerStep", "secondsPerSample"}.
"""
import argparse
import json
import statistics
import sys
import time

import torch
from torch import nn
from torch.nn import functional as F

LEAKY = 0.3
BN_EPS = 1e-3
BN_MOMENTUM = 0.01  # Keras momentum 0.99 is the weight of the old value; torch's is of the new.


def conv(cin, cout, k, stride=1):
    return nn.Conv3d(cin, cout, k, stride=stride, padding=k // 2)


class Block(nn.Sequential):
    """Conv 'same' → batch norm → LeakyReLU(0.3)."""

    def __init__(self, cin, cout, k=3, stride=1):
        super().__init__(
            conv(cin, cout, k, stride),
            nn.BatchNorm3d(cout, eps=BN_EPS, momentum=BN_MOMENTUM),
            nn.LeakyReLU(LEAKY),
        )


class UnetFamily(nn.Module):
    """U-net (residual=False), V-net (residual=True), Isensee17 (residual + deep supervision)."""

    def __init__(self, base, depth, dropout, residual, deep_supervision, in_ch=1, labels=1):
        super().__init__()
        filters = [base * 2**level for level in range(depth)]
        self.residual = residual
        self.deep_supervision = deep_supervision
        self.depth = depth
        self.first = nn.ModuleList()
        self.context = nn.ModuleList()
        cin = in_ch
        for level, f in enumerate(filters):
            self.first.append(Block(cin, f, 3, 1 if level == 0 else 2))
            ctx = [Block(f, f)]
            if dropout > 0:
                ctx.append(nn.Dropout3d(dropout))
            ctx.append(Block(f, f))
            self.context.append(nn.Sequential(*ctx))
            cin = f
        self.up_block = nn.ModuleDict()
        self.merge = nn.ModuleDict()
        for level in range(depth - 2, -1, -1):
            f = filters[level]
            self.up_block[str(level)] = Block(filters[level + 1], f)
            self.merge[str(level)] = nn.Sequential(Block(2 * f, f, 3), Block(f, f, 1))
        if deep_supervision:
            coarsest = max(0, min(2, depth - 2))
            self.heads = nn.ModuleDict(
                {str(level): conv(filters[level], labels, 1) for level in range(coarsest + 1)}
            )
            self.coarsest = coarsest
        else:
            self.heads = nn.ModuleDict({"0": conv(filters[0], labels, 1)})

    def forward(self, x):
        levels = []
        for first, context in zip(self.first, self.context):
            a = first(x)
            c = context(a)
            x = a + c if self.residual else c
            levels.append(x)
        decoded = {}
        for level in range(self.depth - 2, -1, -1):
            up = self.up_block[str(level)](F.interpolate(x, scale_factor=2, mode="nearest"))
            x = self.merge[str(level)](torch.cat([levels[level], up], dim=1))
            decoded[level] = x
        if self.depth == 1:
            decoded[0] = x
        if self.deep_supervision:
            logits = self.heads[str(self.coarsest)](decoded[self.coarsest])
            for level in range(self.coarsest - 1, -1, -1):
                logits = F.interpolate(logits, scale_factor=2, mode="nearest") + self.heads[
                    str(level)
                ](decoded[level])
        else:
            logits = self.heads["0"](decoded[0])
        return torch.sigmoid(logits)


class ResBlock(nn.Module):
    """GN → LeakyReLU → conv 3³ → GN → LeakyReLU → conv 3³, plus the identity."""

    def __init__(self, f, groups):
        super().__init__()
        self.body = nn.Sequential(
            nn.GroupNorm(groups, f, eps=BN_EPS),
            nn.LeakyReLU(LEAKY),
            conv(f, f, 3),
            nn.GroupNorm(groups, f, eps=BN_EPS),
            nn.LeakyReLU(LEAKY),
            conv(f, f, 3),
        )

    def forward(self, x):
        return x + self.body(x)


class Myronenko(nn.Module):
    def __init__(self, size, base, depth, latent, groups=8, reduced=16, in_ch=1, labels=1):
        super().__init__()
        blocks = [([1, 2, 2][level] if level < 3 else 4) for level in range(depth)]
        filters = [base * 2**level for level in range(depth)]
        self.depth = depth
        self.init = conv(in_ch, base, 3)
        self.down = nn.ModuleList()
        self.enc = nn.ModuleList()
        for level, f in enumerate(filters):
            self.down.append(conv(filters[level - 1], f, 3, 2) if level > 0 else nn.Identity())
            self.enc.append(nn.Sequential(*[ResBlock(f, groups) for _ in range(blocks[level])]))
        self.dec_conv = nn.ModuleDict()
        self.dec_block = nn.ModuleDict()
        for level in range(depth - 2, -1, -1):
            self.dec_conv[str(level)] = conv(filters[level + 1], filters[level], 1)
            self.dec_block[str(level)] = ResBlock(filters[level], groups)
        self.seg = conv(filters[0], labels, 1)
        self.coarse = size // 2**depth
        self.reduced = reduced
        self.vae_norm = nn.Sequential(nn.GroupNorm(groups, filters[-1], eps=BN_EPS), nn.LeakyReLU(LEAKY))
        self.vae_reduce = conv(filters[-1], reduced, 3, 2)
        flat = reduced * self.coarse**3
        self.z_mean = nn.Linear(flat, latent)
        self.z_log_var = nn.Linear(flat, latent)
        self.vae_dense = nn.Linear(latent, flat)
        self.vae_top = conv(reduced, filters[-1], 1)
        self.vae_conv = nn.ModuleDict()
        self.vae_block = nn.ModuleDict()
        for level in range(depth - 2, -1, -1):
            self.vae_conv[str(level)] = conv(filters[level + 1], filters[level], 1)
            self.vae_block[str(level)] = ResBlock(filters[level], groups)
        self.recon = conv(filters[0], in_ch, 1)

    def forward(self, x):
        h = self.init(x)
        skips = []
        for down, enc in zip(self.down, self.enc):
            h = enc(down(h))
            skips.append(h)
        encoded = h
        for level in range(self.depth - 2, -1, -1):
            up = F.interpolate(self.dec_conv[str(level)](h), scale_factor=2, mode="nearest")
            h = self.dec_block[str(level)](up + skips[level])
        seg = torch.sigmoid(self.seg(h))
        flat = torch.flatten(self.vae_reduce(self.vae_norm(encoded)), 1)
        mu = self.z_mean(flat)
        log_var = self.z_log_var(flat)
        z = mu + torch.exp(0.5 * log_var) * torch.randn_like(mu)
        v = F.leaky_relu(self.vae_dense(z), LEAKY)
        v = v.view(-1, self.reduced, self.coarse, self.coarse, self.coarse)
        v = F.interpolate(self.vae_top(v), scale_factor=2, mode="nearest")
        for level in range(self.depth - 2, -1, -1):
            v = F.interpolate(self.vae_conv[str(level)](v), scale_factor=2, mode="nearest")
            v = self.vae_block[str(level)](v)
        return seg, self.recon(v), mu, log_var


def rpdl(y, p, rp_map, smooth=1.0):
    """Reward-penalty Dice loss (paper Eq. 3), sums over the whole batch."""
    overlap = (y * rp_map * p).sum()
    total = ((y + p) * rp_map.abs()).sum()
    return 1 - (2 * overlap + smooth) / (total + smooth)


def myronenko_loss(seg_loss, x, recon, mu, log_var):
    voxels = x[0].numel()
    l2 = ((x - recon) ** 2).mean()
    kl = (mu**2 + log_var.exp() - log_var - 1).sum(1).mean() / voxels
    return seg_loss + 0.1 * l2 + 0.1 * kl


def build(args):
    if args.model == "unet3d":
        return UnetFamily(args.base, args.depth, args.dropout, False, False)
    if args.model == "vnet3d":
        return UnetFamily(args.base, args.depth, args.dropout, True, False)
    if args.model == "isensee2017":
        return UnetFamily(args.base, args.depth, args.dropout, True, True)
    if args.model == "myronenko2018":
        return Myronenko(args.size, args.base, args.depth, args.latent)
    raise SystemExit(f"unknown model {args.model!r}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--base", type=int, required=True)
    parser.add_argument("--depth", type=int, required=True)
    parser.add_argument("--dropout", type=float, default=0.3)
    parser.add_argument("--latent", type=int, default=128)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--max-steps", type=int, default=50)
    parser.add_argument("--expect-params", type=int)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    net = build(args)
    params = sum(p.numel() for p in net.parameters() if p.requires_grad)
    if args.expect_params is not None and params != args.expect_params:
        sys.exit(
            f"{args.model}: the PyTorch twin has {params} trainable parameters, "
            f"the tfjs model {args.expect_params}; the twin does not mirror the architecture"
        )
    net.train()
    shape = (args.batch, 1, args.size, args.size, args.size)
    x = torch.rand(shape) * 2 - 1
    y = (x > 0).float()
    rp_map = torch.rand(shape) * 2 - 1
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-4, eps=1e-7)

    def step():
        optimizer.zero_grad(set_to_none=True)
        out = net(x)
        if isinstance(out, tuple):
            seg, recon, mu, log_var = out
            loss = myronenko_loss(rpdl(y, seg, rp_map), x, recon, mu, log_var)
        else:
            loss = rpdl(y, out, rp_map)
        loss.backward()
        optimizer.step()
        return loss.item()

    step()
    step()
    times = []
    start = time.perf_counter()
    while len(times) < args.max_steps and (not times or time.perf_counter() - start < args.seconds):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    per_step = statistics.median(times)
    print(
        json.dumps(
            {
                "model": args.model,
                "params": params,
                "threads": torch.get_num_threads(),
                "steps": len(times),
                "secondsPerStep": per_step,
                "secondsPerSample": per_step / args.batch,
            }
        )
    )


if __name__ == "__main__":
    main()
