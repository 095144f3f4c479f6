"""The demo lessons' pictures, drawn from code (demo/content/images/make_images.py writes
them): PICTURES names each picture's drawing function."""

from __future__ import annotations

from collections.abc import Callable

from demo.pictures.arduino import arduino_board, arduino_usb, breadboard_button, breadboard_led
from demo.pictures.canvas import CONTENT, IMAGES
from demo.pictures.physics import measurement_ruler, ohm_chart, ohm_circuit, pendulum_setup
from demo.pictures.plants import plant_cups, plant_growth, plant_measuring
from demo.pictures.programming import function_box, game_screen, loop_flow, python_variables
from demo.pictures.robots import (
    chassis_motors,
    line_robot,
    line_sensor,
    motor_driver,
    robot_chassis,
)

# ---------------------------------------------------------------------------------------------

PICTURES: dict[str, Callable[[], bytes]] = {
    "arduino_board": arduino_board,
    "arduino_usb": arduino_usb,
    "breadboard_led": breadboard_led,
    "breadboard_button": breadboard_button,
    "motor_driver": motor_driver,
    "chassis_motors": chassis_motors,
    "robot_chassis": robot_chassis,
    "line_sensor": line_sensor,
    "line_robot": line_robot,
    "python_variables": python_variables,
    "loop_flow": loop_flow,
    "function_box": function_box,
    "game_screen": game_screen,
    "measurement_ruler": measurement_ruler,
    "ohm_circuit": ohm_circuit,
    "ohm_chart": ohm_chart,
    "pendulum_setup": pendulum_setup,
    "plant_cups": plant_cups,
    "plant_growth": plant_growth,
    "plant_measuring": plant_measuring,
}


def draw(key: str) -> bytes:
    return PICTURES[key]()


def main(keys: list[str]) -> None:
    for key in keys or list(PICTURES):
        path = IMAGES / f"{key}.png"
        path.write_bytes(draw(key))
        print(f"{path.relative_to(CONTENT)}: {path.stat().st_size // 1024} KB")
