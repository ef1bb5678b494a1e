#!/usr/bin/env bash
# Regenerates Chatroom.Ci.slnf: every project of Chatroom.sln except the Aspire AppHost (its packages do not restore here).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet sln Chatroom.sln list | grep -E '\.csproj$' | grep -v 'Chatroom.AppHost' | sort | jq -R . | jq -s '{solution: {path: "Chatroom.sln", projects: .}}' > Chatroom.Ci.slnf
