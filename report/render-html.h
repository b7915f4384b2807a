/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Private to report/: the HTML report's inline assets (render-html-assets.c). */
#pragma once

extern const char aoms_html_style[];
extern const char aoms_html_script[];
