#!/usr/bin/env sh
# Runs the chat-domain suite against a real SQL Server / Azure SQL, each test app in its own fresh
# database (the login needs CREATE DATABASE on master). Usage:
#   scripts/test-mssql.sh 'mssql://sa:Secret_123@127.0.0.1:1433?encrypt=true&trustServerCertificate=true'
# or set SUPPORT_CHAT_TEST_MSSQL_URL and run `npm run test:mssql`. Extra arguments go to jest.
set -eu
if [ $# -gt 0 ]; then
  SUPPORT_CHAT_TEST_MSSQL_URL="$1"
  export SUPPORT_CHAT_TEST_MSSQL_URL
  shift
fi
cd "$(dirname "$0")/.."
exec npm run --silent test:mssql -- "$@"
