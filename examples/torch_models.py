#!/usr/bin/python3
"""The real-model examples as PyTorch defines them: weights, ONNX, checks.

    torch_models.py MODEL --weights OUT.safetensors [--onnx OUT.onnx]
                    [--opset N] [--check DATA]

MODEL is one of the examples written from torch's own definitions
(examples/MODEL/MODEL.graph), or any classification model of torchvision
(`torch_models.py --list`), which has no .graph file but --onnx exports
(299x299 input for inception_v3, 224x224 for the others). The module is
built by torchvision or torch with a fixed seed; batch norm statistics and parameters initialised to a
constant (layer norms, ViT's zero head) are randomised too, so that every
weight matters and folding batch norm is exercised. --weights writes its
state_dict (the names the .graph file declares), --onnx exports it with
torch.onnx.export (the ONNX Runtime peer of bench/run.py), and --check DATA
runs the module on the inputs of a data file written by
test/e2e/Inputs/run_model.c and compares its outputs with those nncc's code
wrote there, as nncc-ref does: an element's error is
|got - ref| / max(|ref|, 1% of the largest |ref|), at most 1e-4.
Needs Debian's python3-torch and python3-torchvision.
"""
import argparse
import json
import math
import struct
import sys

import torch
import torch.nn.functional as F
import torchvision

TOLERANCE = 1e-4


def resnet18():
    return torchvision.models.resnet18(), [(1, 3, 224, 224)]


def mobilenet_v2():
    return torchvision.models.mobilenet_v2(), [(1, 3, 224, 224)]


def squeezenet1_1():
    return torchvision.models.squeezenet1_1(), [(1, 3, 224, 224)]


def transformer_encoder():
    layer = torch.nn.TransformerEncoderLayer(512, 8, 2048, batch_first=True)
    return (torch.nn.TransformerEncoder(layer, 2, enable_nested_tensor=False),
            [(1, 128, 512)])


def vit():
    return (torchvision.models.VisionTransformer(
        image_size=224, patch_size=16, num_layers=4, num_heads=6,
        hidden_dim=384, mlp_dim=1536), [(1, 3, 224, 224)])


def sinusoids(length, channels, max_timescale=10000):
    """Whisper's position table: sines, then cosines, of geometric rates."""
    increment = math.log(max_timescale) / (channels // 2 - 1)
    rates = torch.exp(-increment * torch.arange(channels // 2))
    time = torch.arange(length)[:, None] * rates[None, :]
    return torch.cat([torch.sin(time), torch.cos(time)], dim=1)


class WhisperEncoder(torch.nn.Module):
    """Whisper's audio encoder, small: a conv1d stem over 80 mel bins (the
    second conv halving the frames) with GELU, its sinusoidal position
    table (a buffer), pre-norm encoder layers with GELU, a final norm."""

    def __init__(self, mels=80, width=256, heads=4, layers=2, frames=200):
        super().__init__()
        self.conv1 = torch.nn.Conv1d(mels, width, 3, padding=1)
        self.conv2 = torch.nn.Conv1d(width, width, 3, stride=2, padding=1)
        self.register_buffer("positional_embedding",
                             sinusoids(frames // 2, width))
        self.blocks = torch.nn.ModuleList([
            torch.nn.TransformerEncoderLayer(
                width, heads, 4 * width, activation="gelu", batch_first=True,
                norm_first=True) for _ in range(layers)])
        self.ln_post = torch.nn.LayerNorm(width)

    def forward(self, mel):
        x = F.gelu(self.conv1(mel))
        x = F.gelu(self.conv2(x)).permute(0, 2, 1) + self.positional_embedding
        for block in self.blocks:
            x = block(x)
        return self.ln_post(x)


def whisper_encoder():
    return WhisperEncoder(), [(1, 80, 200)]


class TextEncoder(torch.nn.Module):
    """A BERT-style text encoder, small: token and learned position
    embeddings, a layer norm, post-norm GELU encoder layers. Token ids are
    int32, as the compiled model takes them."""

    def __init__(self, vocab=4096, width=256, heads=4, layers=2, tokens=64):
        super().__init__()
        self.tokens = torch.nn.Embedding(vocab, width)
        self.positions = torch.nn.Embedding(tokens, width)
        self.norm = torch.nn.LayerNorm(width)
        self.layers = torch.nn.ModuleList([
            torch.nn.TransformerEncoderLayer(
                width, heads, 4 * width, activation="gelu", batch_first=True)
            for _ in range(layers)])

    def forward(self, ids):
        positions = torch.arange(ids.shape[1])
        x = self.norm(self.tokens(ids) + self.positions(positions))
        for layer in self.layers:
            x = layer(x)
        return x


def text_encoder():
    return TextEncoder(), [torch.zeros(1, 64, dtype=torch.int32)]


MODELS = {"resnet18": resnet18, "mobilenet_v2": mobilenet_v2, "vit": vit,
          "transformer_encoder": transformer_encoder,
          "whisper_encoder": whisper_encoder, "squeezenet1_1": squeezenet1_1,
          "text_encoder": text_encoder}


def randomize(module):
    """Noise where initialisation is constant, so every weight matters."""
    with torch.no_grad():
        # Parameters initialised to a constant (layer norms' ones and zeros,
        # ViT's zero head) get noise, or outputs would not depend on them.
        for p in module.parameters():
            if p.numel() > 1 and bool((p == p.flatten()[0]).all()):
                p.add_(torch.empty_like(p).uniform_(-0.5, 0.5))
        for m in module.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.5, 0.5)
    return module.eval()


def torchvision_model(name):
    """A classification model of torchvision, as its builder makes it."""
    options = {"init_weights": True} if name in ("googlenet",
                                                 "inception_v3") else {}
    size = 299 if name == "inception_v3" else 224
    return (torchvision.models.get_model(name, **options),
            [(1, 3, size, size)])


def classifiers():
    return torchvision.models.list_models(module=torchvision.models)


def build(name):
    torch.manual_seed(0)
    module, inputs = (MODELS[name]() if name in MODELS
                      else torchvision_model(name))
    return randomize(module), inputs


def tensors(module):
    """The float tensors of the state_dict (not num_batches_tracked)."""
    return {k: v.contiguous() for k, v in module.state_dict().items()
            if v.dtype == torch.float32}


def write_safetensors(path, named):
    header, offset, blobs = {}, 0, []
    for name, t in named.items():
        blob = t.numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def read_data(path):
    """The (kind, tensor) records of a run_model.c data file."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"NNCC":
        sys.exit(f"{path}: not a data file")
    (count,), pos, records = struct.unpack_from("<I", data, 4), 8, []
    for _ in range(count):
        kind, dtype, rank = struct.unpack_from("<III", data, pos)
        shape = struct.unpack_from(f"<{rank}q", data, pos + 12)
        pos += 12 + 8 * rank
        n = 1
        for d in shape:
            n *= d
        values = torch.frombuffer(bytearray(data[pos:pos + 4 * n]),
                                  dtype=[torch.float32, torch.int32][dtype])
        records.append((kind, values.reshape(shape)))
        pos += 4 * n
    return records


def check(module, path):
    records = read_data(path)
    inputs = [t for kind, t in records if kind == 0]
    outputs = [t for kind, t in records if kind == 2]
    with torch.no_grad():
        expected = module(*inputs)
    if isinstance(expected, torch.Tensor):
        expected = [expected]
    ok = True
    for i, (got, ref) in enumerate(zip(outputs, expected)):
        ref = ref.double()
        floor = max(ref.abs().max().item() * 0.01, 1e-30)
        err = ((got.double() - ref).abs() / ref.abs().clamp(min=floor)).max()
        good = bool(err <= TOLERANCE)
        ok &= good
        print(f"{'ok  ' if good else 'FAIL'} output {i} against PyTorch: "
              f"max error {err.item():.3g} over {ref.numel()} elements")
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", nargs="?")
    ap.add_argument("--list", action="store_true",
                    help="print the torchvision models it can build")
    ap.add_argument("--weights")
    ap.add_argument("--onnx")
    ap.add_argument("--opset", type=int, default=13)
    ap.add_argument("--check")
    args = ap.parse_args()
    if args.list:
        print("\n".join(classifiers()))
        return
    if args.model not in MODELS and args.model not in classifiers():
        ap.error(f"unknown model {args.model!r}: one of "
                 f"{', '.join(sorted(MODELS))} or torchvision's (--list)")
    torch.set_num_threads(1)
    module, shapes = build(args.model)
    if args.weights:
        write_safetensors(args.weights, tensors(module))
    if args.onnx:
        examples = tuple(s if isinstance(s, torch.Tensor) else torch.zeros(s)
                         for s in shapes)
        torch.onnx.export(module, examples, args.onnx,
                          opset_version=args.opset)
    if args.check and not check(module, args.check):
        sys.exit(1)


if __name__ == "__main__":
    main()
