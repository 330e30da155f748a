"""A hand-built parity report, and a stdlib PNG reader for the browser test."""

from __future__ import annotations

import struct
import zlib
from dataclasses import replace
from pathlib import Path

from bascule.parity import model
from bascule.parity.model import Capability, FieldDiff, Gap, GapKind, Pair, WavePlan

C = Capability


def obj(
    capability: Capability, name: str, wave: int | None = None, **fields: object
) -> model.CanonicalObject:
    return model.CanonicalObject(capability, name, fields, wave)


def sample_report() -> model.ParityReport:
    zone = obj(C.ZONE, "hub", cidr="10.0.0.0/24", addresses=256)
    lost = obj(C.ENCLAVE, "proj-<script>", 1, vcpu=4, ramGb=16)
    data_s = obj(C.DATASET, "snds|copy", 1, versioning=True)
    data_t = obj(C.DATASET, "snds|copy", 1, versioning=False)
    gpu_s = obj(C.ENCLAVE, "gpu-001", 2, ramGb=64)
    gpu_t = obj(C.ENCLAVE, "gpu-001", 2, ramGb=32)
    extra = obj(C.KEY, "scratch-key", strengthBits=256)
    log_s = obj(C.LOGGING, "audit-logs", retentionDays=180)
    log_t = obj(C.LOGGING, "audit-logs", retentionDays=365)
    pairs = (
        Pair(C.ZONE, "hub", zone, zone),
        Pair(C.DATASET, "snds|copy", data_s, data_t),
        Pair(C.KEY, "scratch-key", None, extra),
        Pair(C.ENCLAVE, "gpu-001", gpu_s, gpu_t),
        Pair(C.ENCLAVE, "proj-<script>", lost, None),
        Pair(C.LOGGING, "audit-logs", log_s, log_t),
    )
    gaps = (
        Gap(GapKind.WEAKER, C.DATASET, "snds|copy",
            {"versioning": FieldDiff(True, False, GapKind.WEAKER)}, 1),
        Gap(GapKind.EXTRA, C.KEY, "scratch-key"),
        Gap(GapKind.WEAKER, C.ENCLAVE, "gpu-001", {"ramGb": FieldDiff(64, 32, GapKind.WEAKER)}, 2,
            "A100 quota granted in wave 4"),
        Gap(GapKind.MISSING, C.ENCLAVE, "proj-<script>", {}, 1),
        Gap(GapKind.STRONGER, C.LOGGING, "audit-logs",
            {"retentionDays": FieldDiff(180, 365, GapKind.STRONGER)}),
    )  # fmt: skip
    return model.ParityReport("prod.json", "prod.json", pairs, gaps)


PLAN = (
    WavePlan(1, "pilot", "cutover", "2026-10-05"),
    WavePlan(2, "early-adopters", "migrating", "2027-01-18"),
    WavePlan(3, "bulk", "planned"),
    WavePlan(4, "long-tail", "Quarantined <b>", "2027-07-05"),  # a status no look knows
)


def planned_report() -> model.ParityReport:
    """The sample with the stack's wave plan, one enclave at parity by a tolerance, and the
    gateway matched by role across two stacks' names."""
    report = sample_report()
    cpu_s = obj(C.ENCLAVE, "cpu-004", 2, vcpu=8, ramGb=32)
    cpu_t = obj(C.ENCLAVE, "cpu-004", 2, vcpu=4, ramGb=32)
    gateway_s = obj(C.GATEWAY, "hdh-dev-gateway", vcpu=2)
    gateway_t = obj(C.GATEWAY, "hdh-gateway", vcpu=2)
    pairs = (
        *report.pairs,
        Pair(C.ENCLAVE, "cpu-004", cpu_s, cpu_t),
        Pair(C.GATEWAY, "hdh-gateway", gateway_s, gateway_t),
    )
    allowance = model.Allowance(C.ENCLAVE, "cpu-004", "vcpu", 8, 4, "tolerance vcpu=4")
    return replace(report, pairs=pairs, allowances=(allowance,), plan=PLAN)


def platform_blocked_report() -> model.ParityReport:
    """The planned sample with a network zone missing on the target: it blocks every wave."""
    report = planned_report()
    zone = obj(C.ZONE, "data", cidr="10.0.2.0/24", addresses=256)
    gap = Gap(GapKind.MISSING, C.ZONE, "data")
    return replace(
        report, pairs=(*report.pairs, Pair(C.ZONE, "data", zone, None)), gaps=(*report.gaps, gap)
    )


def png_pixels(path: Path) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of raw pixel bytes) of an 8-bit RGB/RGBA PNG, unfiltered."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6), f"unsupported PNG (depth {depth}, colour {colour})"
    assert interlace == 0, "interlaced PNG not supported"
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        assert kind <= 4, f"row {y}: unknown PNG filter type {kind}"
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up, corner = previous[i], previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        previous = line
    return (
        width,
        height,
        [bytes(r) for r in rows]
        if bpp == 3
        else [b"".join(r[i : i + 3] for i in range(0, len(r), 4)) for r in rows],
    )


def write_png(path: Path, width: int, rows: list[bytes], colour: int, filter_kind: int) -> None:
    """An 8-bit PNG whose every row uses `filter_kind`: the reader's test input."""
    bpp = 3 if colour == 2 else 4
    raw, previous = bytearray(), bytes(width * bpp)
    for row in rows:
        out = bytearray()
        for i, value in enumerate(row):
            left = row[i - bpp] if i >= bpp else 0
            up, corner = previous[i], previous[i - bpp] if i >= bpp else 0
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            paeth = left if pa <= pb and pa <= pc else up if pb <= pc else corner
            predicted = (0, left, up, (left + up) // 2, paeth)[filter_kind]
            out.append((value - predicted) & 0xFF)
        raw += bytes((filter_kind,)) + out
        previous = row

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, len(rows), 8, colour, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(raw)))
        + chunk(b"IEND", b"")
    )
