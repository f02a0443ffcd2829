"""Draw the placeholder photo of the sample article (the original is not available).

Run once; the JPEG is committed as resources/sample/photos/checkpoint.jpg. Deterministic.
"""

from pathlib import Path

from PIL import Image, ImageDraw


def draw(width: int = 1200, height: int = 800) -> Image.Image:
    """A road checkpoint in flat colours: sky, road, a booth, a barrier and two cars."""
    image = Image.new("RGB", (width, height), (176, 206, 232))
    pen = ImageDraw.Draw(image)
    pen.rectangle([0, 430, width, height], fill=(96, 98, 104))  # road
    pen.rectangle([0, 400, width, 430], fill=(120, 150, 90))  # verge
    for x in range(0, width, 160):  # lane marks
        pen.rectangle([x + 20, 610, x + 110, 626], fill=(235, 235, 220))
    pen.rectangle([120, 250, 360, 470], fill=(236, 236, 230), outline=(150, 40, 40), width=6)  # booth
    pen.rectangle([100, 220, 380, 260], fill=(200, 30, 35))
    pen.rectangle([170, 300, 310, 380], fill=(140, 190, 220))
    pen.rectangle([360, 440, 820, 456], fill=(230, 60, 50))  # barrier
    for x in range(380, 820, 80):
        pen.rectangle([x, 440, x + 40, 456], fill=(245, 245, 245))
    for left, colour in ((700, (40, 80, 160)), (930, (230, 230, 235))):  # cars
        pen.rounded_rectangle([left, 500, left + 230, 600], radius=24, fill=colour)
        pen.rounded_rectangle([left + 40, 455, left + 190, 515], radius=18, fill=colour)
        for wheel in (left + 45, left + 185):
            pen.ellipse([wheel - 26, 575, wheel + 26, 627], fill=(30, 30, 30))
    pen.ellipse([480, 330, 520, 370], fill=(240, 205, 170))  # an inspector
    pen.rectangle([470, 370, 530, 470], fill=(40, 90, 60))
    pen.rectangle([470, 470, 490, 540], fill=(30, 40, 60))
    pen.rectangle([510, 470, 530, 540], fill=(30, 40, 60))
    return image


if __name__ == "__main__":
    target = Path(__file__).resolve().parents[1] / "resources" / "sample" / "photos" / "checkpoint.jpg"
    draw().save(target, "JPEG", quality=82, optimize=True, progressive=True)
    print(target, target.stat().st_size)
