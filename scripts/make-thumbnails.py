#!/usr/bin/env python3
"""Regenerate the sample posts' thumbnail images (abstract designs, 1368x768 JPEG).

The images are committed; this script only exists so they can be remade or tweaked.
Requires Pillow (`pip install pillow`). Run from anywhere:

    python3 scripts/make-thumbnails.py

Writes public/thumbnails/<name>.jpg and the one post-local feature.jpg listed in FEATURES.
Output is deterministic (fixed seeds).
"""
import math
import os
import random

from PIL import Image, ImageChops, ImageDraw, ImageFilter

W, H = 1368, 768
GRAIN = 0.5  # global grain strength; the grain also keeps the files in the 60-150 KB range
MAX_BYTES = 150 * 1024
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
THUMBS = os.path.join(ROOT, "public", "thumbnails")
FEATURES = {
    "eink-dither": os.path.join(
        ROOT, "content", "posts", "2026_09", "2026_09_26_an_e_ink_dashboard_on_our_fridge", "feature.jpg"
    ),
}


def lerp(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def vertical_gradient(top, bottom, w=W, h=H):
    img = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(img)
    for y in range(h):
        d.line([(0, y), (w, y)], fill=lerp(top, bottom, y / (h - 1)))
    return img


def diagonal_gradient(a, b):
    # a gradient along the diagonal: draw a wide vertical gradient and rotate it
    big = vertical_gradient(a, b, W * 2, W * 2).rotate(-35, resample=Image.BICUBIC)
    left, top = (big.width - W) // 2, (big.height - H) // 2
    return big.crop((left, top, left + W, top + H))


def grain(img, sigma, amount, seed):
    """Blend a little monochrome noise in: looks like film grain and avoids banding."""
    random.seed(seed)
    noise = Image.effect_noise((W // 2, H // 2), sigma).resize((W, H), Image.BILINEAR).convert("RGB")
    return Image.blend(img, ImageChops.overlay(img, noise), amount * GRAIN)


def overlay_shape(base, draw_fn, blur=0):
    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw_fn(ImageDraw.Draw(layer))
    if blur:
        layer = layer.filter(ImageFilter.GaussianBlur(blur))
    out = base.convert("RGBA")
    out.alpha_composite(layer)
    return out.convert("RGB")


def amber_dunes():
    img = vertical_gradient((255, 214, 150), (196, 92, 38))
    bands = [((236, 160, 84), 0.52), ((214, 122, 58), 0.64), ((176, 82, 40), 0.76), ((130, 56, 34), 0.88)]
    for i, (colour, level) in enumerate(bands):
        def draw(d, colour=colour, level=level, i=i):
            pts = [(0, H)]
            for x in range(0, W + 8, 8):
                y = H * level + 38 * math.sin(x / (170 + 40 * i) + i * 1.7) + 18 * math.sin(x / 61 + i)
                pts.append((x, y))
            pts.append((W, H))
            d.polygon(pts, fill=colour + (235,))
        img = overlay_shape(img, draw, blur=1.5)
    sun = lambda d: d.ellipse((980, 90, 1160, 270), fill=(255, 246, 220, 200))
    img = overlay_shape(img, sun, blur=6)
    return grain(img, 40, 0.35, 1)


def teal_circles():
    img = vertical_gradient((12, 64, 74), (6, 28, 40))
    rnd = random.Random(2)
    palette = [(56, 211, 211), (120, 230, 200), (20, 150, 170), (240, 250, 245), (255, 190, 120)]
    for _ in range(26):
        r = rnd.randint(30, 230)
        x, y = rnd.randint(-100, W + 100), rnd.randint(-100, H + 100)
        colour = rnd.choice(palette)
        alpha = rnd.randint(40, 120)
        img = overlay_shape(img, lambda d: d.ellipse((x - r, y - r, x + r, y + r), fill=colour + (alpha,)), blur=2)
    return grain(img, 35, 0.3, 2)


def peach_waves():
    img = vertical_gradient((255, 226, 204), (245, 150, 150))
    for i in range(9):
        def draw(d, i=i):
            base = 90 + i * 80
            pts = [(0, H)]
            for x in range(0, W + 6, 6):
                pts.append((x, base + 30 * math.sin(x / 140 + i * 0.9)))
            pts.append((W, H))
            shade = lerp((255, 200, 170), (200, 90, 120), i / 8)
            d.polygon(pts, fill=shade + (70,))
        img = overlay_shape(img, draw, blur=3)
    return grain(img, 40, 0.35, 3)


def mono_grid():
    img = vertical_gradient((238, 236, 230), (214, 212, 204))
    d = ImageDraw.Draw(img)
    step = 38
    cx, cy = W * 0.68, H * 0.42
    for gy in range(step // 2, H, step):
        for gx in range(step // 2, W, step):
            dist = math.hypot(gx - cx, gy - cy) / math.hypot(W, H)
            r = max(1.5, 15 * (1 - dist * 1.9))
            d.ellipse((gx - r, gy - r, gx + r, gy + r), fill=(48, 48, 52))
    return grain(img, 30, 0.35, 4)


def forest_blobs():
    img = vertical_gradient((20, 60, 40), (8, 30, 22))
    rnd = random.Random(5)
    palette = [(69, 211, 37), (160, 220, 90), (230, 220, 120), (40, 140, 90), (120, 200, 170)]
    layer = Image.new("RGBA", (W, H), (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    for _ in range(14):
        r = rnd.randint(90, 260)
        x, y = rnd.randint(0, W), rnd.randint(0, H)
        d.ellipse((x - r, y - r * 0.8, x + r, y + r * 0.8), fill=rnd.choice(palette) + (rnd.randint(70, 150),))
    layer = layer.filter(ImageFilter.GaussianBlur(70))
    out = img.convert("RGBA")
    out.alpha_composite(layer)
    return grain(out.convert("RGB"), 45, 0.4, 5)


def violet_rings():
    img = vertical_gradient((46, 18, 84), (18, 8, 40))
    cx, cy = int(W * 0.3), int(H * 0.6)

    def draw(d):
        for i in range(22, 0, -1):
            r = i * 44
            colour = lerp((255, 120, 200), (90, 60, 220), i / 22)
            d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=colour + (150,), width=10)
    img = overlay_shape(img, draw, blur=1)
    glow = lambda d: d.ellipse((cx - 120, cy - 120, cx + 120, cy + 120), fill=(255, 170, 230, 160))
    img = overlay_shape(img, glow, blur=50)
    return grain(img, 35, 0.3, 6)


def indigo_stripes():
    img = diagonal_gradient((40, 50, 140), (120, 180, 255))

    def draw(d):
        for i in range(-20, 40):
            x = i * 70
            colour = (255, 255, 255, 38) if i % 2 else (10, 20, 80, 50)
            d.polygon([(x, 0), (x + 35, 0), (x + 35 - H * 0.7, H), (x - H * 0.7, H)], fill=colour)
    img = overlay_shape(img, draw)
    return grain(img, 35, 0.3, 7)


def coral_sunset():
    img = vertical_gradient((255, 120, 90), (90, 40, 120))
    cx, cy, r = W // 2, int(H * 0.62), 250
    sun = Image.new("RGBA", (W, H), (0, 0, 0, 0))
    sd = ImageDraw.Draw(sun)
    for y in range(cy - r, cy + r):
        half = math.sqrt(max(0, r * r - (y - cy) ** 2))
        # horizontal cuts that get thicker towards the bottom of the disc
        cut = (y - cy) > 0 and ((y - cy) % 36) < (4 + (y - cy) / 18)
        if not cut:
            sd.line([(cx - half, y), (cx + half, y)], fill=lerp((255, 236, 150), (255, 90, 110), (y - cy + r) / (2 * r)) + (255,))
    out = img.convert("RGBA")
    out.alpha_composite(sun)
    ground = lambda d: d.rectangle((0, int(H * 0.8), W, H), fill=(50, 20, 70, 235))
    img = overlay_shape(out.convert("RGB"), ground)
    return grain(img, 40, 0.35, 8)


def eink_dither():
    """Post-local feature image: a coarse dithered gradient with bold shapes, like an e-paper screen."""
    scale = 6
    sw, sh = W // scale, H // scale
    small = Image.new("L", (sw, sh))
    d = ImageDraw.Draw(small)
    cx, cy = sw * 0.72, sh * 0.3
    for y in range(sh):
        for x in range(sw):
            t = math.hypot(x - cx, y - cy) / (sw * 0.8)
            d.point((x, y), fill=int(252 - 150 * min(1, t)))
    dithered = small.convert("1").convert("L").resize((W, H), Image.NEAREST)
    paper = Image.merge("RGB", [dithered.point(lambda v: 40 + v * 0.84), dithered.point(lambda v: 42 + v * 0.83),
                                dithered.point(lambda v: 38 + v * 0.80)])
    d = ImageDraw.Draw(paper)
    ink, light = (36, 38, 40), (236, 234, 226)
    d.ellipse((150, 150, 470, 470), outline=ink, width=28)            # a bold ring, like a weather icon
    d.ellipse((262, 262, 358, 358), fill=ink)
    for i, length in enumerate((520, 380, 450)):                        # three "text lines" of a dashboard
        y = 250 + i * 90
        d.rounded_rectangle((600, y, 600 + length, y + 36), radius=18, fill=light, outline=ink, width=6)
    d.rectangle((120, 600, W - 120, 614), fill=ink)
    return paper.filter(ImageFilter.GaussianBlur(1.6))


THUMBNAILS = {
    "amber-dunes": amber_dunes,
    "teal-circles": teal_circles,
    "peach-waves": peach_waves,
    "mono-grid": mono_grid,
    "forest-blobs": forest_blobs,
    "violet-rings": violet_rings,
    "indigo-stripes": indigo_stripes,
    "coral-sunset": coral_sunset,
}


def save(img, path, quality=88):
    """Save as progressive JPEG, lowering the quality step by step until under MAX_BYTES."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    while True:
        img.save(path, "JPEG", quality=quality, optimize=True, progressive=True)
        if os.path.getsize(path) <= MAX_BYTES or quality <= 60:
            break
        quality -= 2
    print(f"{os.path.relpath(path, ROOT)}: {os.path.getsize(path) // 1024} KB (quality {quality})")


def main():
    for name, make in THUMBNAILS.items():
        save(make(), os.path.join(THUMBS, name + ".jpg"))
    save(eink_dither(), FEATURES["eink-dither"])


if __name__ == "__main__":
    main()
