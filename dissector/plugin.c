/*
 * plugin.c - the Wireshark plugin entry points (epan plugin ABI).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define WS_BUILD_DLL
#include <wireshark.h>
#include <epan/proto.h>
#include <ws_version.h>

#include "packet-pdmv2.h"

#ifndef PDMV2_TOOLS_VERSION
#define PDMV2_TOOLS_VERSION "0.0.0"
#endif

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = PDMV2_TOOLS_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

void
plugin_register(void)
{
	static proto_plugin plug;

	plug.register_protoinfo = proto_register_pdmv2;
	plug.register_handoff = proto_reg_handoff_pdmv2;
	proto_register_plugin(&plug);
}
