"""Keep the window on its screen: a first start and a restored geometry both fit the screen's available area.

A projector of 1024×768 is common in a classroom; a window opened at 1280×800 there hides the verdict's
Details and the status bar below the screen's edge. On a screen too small for the preferred size the
window starts maximised; a geometry remembered on a larger screen is shrunk onto this one.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

#: The size of a first start on a screen with room for it.
PREFERRED_SIZE = (1280, 800)
#: Room a window manager's frame and title bar may take around the window (unknown before the window shows).
FRAME_ALLOWANCE = (16, 48)


def available_area(window: QWidget) -> QRect | None:
    """The available area (without task bars and docks) of the screen the window is on, or of the main screen."""
    screen: QScreen | None = window.screen() if window.screen() is not None else QGuiApplication.primaryScreen()
    if screen is None:
        return None
    centre = window.geometry().center()
    for candidate in QGuiApplication.screens():  # a restored window may sit on another screen of several
        if candidate.geometry().contains(centre):
            screen = candidate
            break
    area = screen.availableGeometry()
    return area if area.isValid() and not area.isEmpty() else None


def fits(size: tuple[int, int], area: QRect) -> bool:
    """True if a window of ``size`` and its frame fit inside ``area``."""
    return size[0] + FRAME_ALLOWANCE[0] <= area.width() and size[1] + FRAME_ALLOWANCE[1] <= area.height()


def first_start(window: QWidget, preferred: tuple[int, int] = PREFERRED_SIZE) -> None:
    """Size a window that has no remembered geometry: the preferred size, centred, or maximised where it does not fit."""
    window.resize(*preferred)
    area = available_area(window)
    if area is None:
        return
    if fits(preferred, area):
        frame = QRect(0, 0, *preferred)
        frame.moveCenter(area.center())
        window.move(frame.topLeft())
    else:
        window.resize(min(preferred[0], area.width() - FRAME_ALLOWANCE[0]),
                      min(preferred[1], area.height() - FRAME_ALLOWANCE[1]))
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


def keep_on_screen(window: QWidget) -> None:
    """After a geometry was restored: shrink it onto its screen's available area, and move it inside.

    A window remembered maximised or full screen stays so (the system places it). One remembered larger
    than this screen (moved from a desktop monitor to a projector) starts as a first start would.
    """
    if window.windowState() & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
        return
    area = available_area(window)
    if area is None:
        return
    if not fits((window.width(), window.height()), area):
        first_start(window)  # the preferred size, centred, or maximised on a small screen
        return
    geometry = window.frameGeometry()
    left = min(max(geometry.left(), area.left()), area.left() + area.width() - geometry.width() - FRAME_ALLOWANCE[0])
    top = min(max(geometry.top(), area.top()), area.top() + area.height() - geometry.height() - FRAME_ALLOWANCE[1])
    if (left, top) != (geometry.left(), geometry.top()):
        window.move(max(area.left(), left), max(area.top(), top))
