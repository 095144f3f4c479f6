"""Draw the demo lessons' pictures: `python demo/content/images/make_images.py`.

Every picture a lesson names (`:::image <key>`, `:photo: <key>`) is a labelled diagram of what
that lesson says, drawn by demo/pictures (a module per subject: canvas, arduino, robots,
programming, physics, plants) and written next to this script as `<key>.png`; `images.toml`
gives each one its title and description. The files are committed, so the demo never runs this: run
it after changing a drawing, or the table of measurements in the Ohm's-law lesson (the chart is
plotted from that table), and look at the pictures. tests/demo/test_images.py checks that the
files are what this script draws.

`python make_images.py ohm_chart line_sensor` draws only the pictures named.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # the project, when run as a script

from demo.pictures import PICTURES, draw, main  # noqa: E402
from demo.pictures.canvas import H, W, fmt  # noqa: E402
from demo.pictures.physics import ohm_fit, ohm_table  # noqa: E402

__all__ = ["H", "PICTURES", "W", "draw", "fmt", "main", "ohm_fit", "ohm_table"]

if __name__ == "__main__":
    main(sys.argv[1:])
