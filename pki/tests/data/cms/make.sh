#!/bin/sh
# Regenerates the CMS / chain test fixtures with the openssl CLI (OpenSSL 3.0). Run once; outputs are committed.
# root -> intermediate -> leaf (2020-2099), an expired leaf (2020-2021), and a "sub-leaf" issued by the leaf
# (the leaf has cA=FALSE, so a path through it must fail), and deepca (a CA under inter, whose pathlen:0
# forbids it) with deepleaf under it.
set -eu
cd "$(dirname "$0")"
rm -rf work && mkdir work && touch work/index.txt && echo 1000 > work/serial
cat > work/ca.cnf <<'CNF'
[ ca ]
default_ca = test
[ test ]
database = work/index.txt
serial = work/serial
new_certs_dir = work
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[ any ]
commonName = supplied
[ v3_root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ v3_inter ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_deep ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_leaf ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
for k in root inter leaf expired subleaf deepca deepleaf; do
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out $k.key 2>/dev/null
done
issue() { # name subject issuer-cert issuer-key extensions start end
  openssl req -new -key $1.key -subj "$2" -out work/$1.csr
  if [ "$3" = self ]; then
    openssl ca -batch -config work/ca.cnf -notext -selfsign -keyfile $1.key -in work/$1.csr -out $1.pem \
      -extensions $5 -startdate $6 -enddate $7 2>/dev/null
  else
    openssl ca -batch -config work/ca.cnf -notext -cert $3.pem -keyfile $4.key -in work/$1.csr -out $1.pem \
      -extensions $5 -startdate $6 -enddate $7 2>/dev/null
  fi
}
issue root "/CN=Qoltanba Test Root" self root v3_root 20200101000000Z 20991231235959Z
issue inter "/CN=Qoltanba Test Intermediate" root root v3_inter 20200101000000Z 20991231235959Z
issue leaf "/CN=Qoltanba Test Leaf" inter inter v3_leaf 20200101000000Z 20991231235959Z
issue expired "/CN=Qoltanba Test Expired Leaf" inter inter v3_leaf 20200101000000Z 20210101000000Z
issue subleaf "/CN=Qoltanba Test Sub-Leaf" leaf leaf v3_leaf 20200101000000Z 20991231235959Z
issue deepca "/CN=Qoltanba Test Deep CA" inter inter v3_deep 20200101000000Z 20991231235959Z
issue deepleaf "/CN=Qoltanba Test Deep Leaf" deepca deepca v3_leaf 20200101000000Z 20991231235959Z
rm -rf work root.key inter.key subleaf.key deepca.key deepleaf.key
