#!/usr/bin/env bash
# Regenerates Chatroom.Ci.slnf: every project of Chatroom.sln (the Aspire AppHost's packages restore here too).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet sln Chatroom.sln list | grep -E '\.csproj$' | sort | jq -R . | jq -s '{solution: {path: "Chatroom.sln", projects: .}}' > Chatroom.Ci.slnf
