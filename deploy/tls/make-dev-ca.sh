#!/usr/bin/env bash
# Makes a development CA and a server certificate for 127.0.0.1 / localhost, plus a
# client certificate (for mutual TLS, optional). For development and tests only:
# production certificates come from the agency PKI.
#
#   bash deploy/tls/make-dev-ca.sh <out-dir> [days]
#
# Writes: ca.pem, ca-key.pem, server.pem, server-key.pem, client.pem, client-key.pem, and
# node.pem / node-key.pem for server-to-server links (cluster routes, leaf connections),
# where each side is both TLS server and client (serverAuth and clientAuth).
set -euo pipefail
out=${1:?usage: make-dev-ca.sh <out-dir> [days]}
days=${2:-30}
# The CA's and the server's private keys live here: the directory is the owner's
# alone (0700), also when it existed before with other modes.
umask 077
mkdir -p "$out"
chmod 700 "$out"
cd "$out"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -days "$days" \
  -subj "/CN=Liaison development CA" -keyout ca-key.pem -out ca.pem \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null

issue() { # name cn ext
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -subj "/CN=$2" \
    -keyout "$1-key.pem" -out "$1.csr" 2>/dev/null
  printf '%s\n' "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days "$days" -sha256 \
    -extfile "$1.ext" -out "$1.pem" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}
issue server "liaison-nats" "subjectAltName=IP:127.0.0.1,DNS:localhost
extendedKeyUsage=serverAuth
keyUsage=critical,digitalSignature"
issue client "liaison-client" "extendedKeyUsage=clientAuth
keyUsage=critical,digitalSignature"
issue node "liaison-node" "subjectAltName=IP:127.0.0.1,DNS:localhost
extendedKeyUsage=serverAuth,clientAuth
keyUsage=critical,digitalSignature"
rm -f ca.srl
chmod 600 ./*-key.pem
chmod 644 ca.pem server.pem client.pem node.pem
echo "development CA and certificates in $out"
