{{/*
Credentials the chart makes itself, so that `helm install` with no values gives a suite with
authentication on. Nothing here has a fixed value: each is the value given in secrets.*, else the
one in the release's Secret (lookup, so `helm upgrade` keeps it), else a new random one.
*/}}

{{/*
A new RSA key pair as PEM: (dict "private" PKCS#8 "public" SubjectPublicKeyInfo).
Helm's genPrivateKey "rsa" writes a 4096-bit key as PKCS#1 ("RSA PRIVATE KEY"), which
smallrye-jwt does not read (it takes PKCS#8), and Helm has no function that gives the public
key. Both are re-wrappings of the PKCS#1 DER bytes, so they are built here byte by byte:
  PKCS#1  = 30 82 LL LL | 02 01 00 | 02 82 02 01 <n: 513 bytes> | 02 03 01 00 01 | d, p, q, ...
  PKCS#8  = 30 82 <L+22> | 02 01 00 | AlgorithmIdentifier(rsaEncryption) | 04 82 <L> <PKCS#1>
  SPKI    = 30 82 02 22 | AlgorithmIdentifier(rsaEncryption) | 03 82 02 0f 00 | 30 82 02 0a <n, e>
(n is 513 bytes and e is 65537 for every key Go's rsa.GenerateKey makes at 4096 bits; the
fixed bytes are checked, so a different key shape fails the render instead of a pod.)
Template strings are byte strings and substr slices bytes: $bytes holds 0x00..0xff so that
(substr v (add v 1) $bytes) is the byte v.
*/}}
{{- define "hotpot.genRsaKeyPair" -}}
{{- $bytes := b64dec "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn+AgYKDhIWGh4iJiouMjY6PkJGSk5SVlpeYmZqbnJ2en6ChoqOkpaanqKmqq6ytrq+wsbKztLW2t7i5uru8vb6/wMHCw8TFxsfIycrLzM3Oz9DR0tPU1dbX2Nna29zd3t/g4eLj5OXm5+jp6uvs7e7v8PHy8/T19vf4+fr7/P3+/w==" -}}
{{- $pem := genPrivateKey "rsa" -}}
{{- $der := regexReplaceAll "-----[A-Z ]+-----|\\s" $pem "" | b64dec -}}
{{- $l := len $der -}}
{{- if not (and (hasPrefix "-----BEGIN RSA PRIVATE KEY-----" $pem)
        (eq (substr 0 2 $der) (b64dec "MII="))
        (eq (substr 4 11 $der) (b64dec "AgEAAoICAQ=="))
        (eq (substr 524 529 $der) (b64dec "AgMBAAE="))) -}}
{{- fail "Helm's genPrivateKey \"rsa\" no longer gives a 4096-bit PKCS#1 key with e=65537: give secrets.jwtPrivateKey and secrets.jwtPublicKey (or secrets.existingSecret)" -}}
{{- end -}}
{{- $t := add $l 22 -}}
{{- $len := list (int (div $t 256)) (int (mod $t 256)) (int (div $l 256)) (int (mod $l 256)) -}}
{{- $lb := list -}}
{{- range $len }}{{ $lb = append $lb (substr . (add1 . | int) $bytes) }}{{ end -}}
{{- $pkcs8 := print (b64dec "MII=") (index $lb 0) (index $lb 1) (b64dec "AgEAMA0GCSqGSIb3DQEBAQUABII=") (index $lb 2) (index $lb 3) $der -}}
{{- $spki := print (b64dec "MIICIjANBgkqhkiG9w0BAQEFAAOCAg8AMIICCg==") (substr 7 529 $der) -}}
{{- dict
      "private" (printf "-----BEGIN PRIVATE KEY-----\n%s\n-----END PRIVATE KEY-----\n" (wrapWith 64 "\n" (b64enc $pkcs8)))
      "public" (printf "-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----\n" (wrapWith 64 "\n" (b64enc $spki)))
    | toJson -}}
{{- end -}}

{{/*
The data of the chart's Secret (base64 values, as in a Secret's data), as JSON. Computed once per
render and kept on the root context: the Secret and the pods' checksum/secret annotations must
see the same random values.
*/}}
{{- define "hotpot.secretData" -}}
{{- if not (hasKey . "hotpotSecretData") -}}
{{- $s := .Values.secrets -}}
{{- $hint := "(or create a Secret yourself and set secrets.existingSecret)" -}}
{{- $old := dict -}}
{{- with lookup "v1" "Secret" .Release.Namespace (include "hotpot.fullname" .) -}}
{{- $old = .data | default dict -}}
{{- end -}}
{{- $d := dict -}}
{{- /* RabbitMQ: an external broker has its own password, which only the user knows. */ -}}
{{- if $s.rabbitmqPassword -}}
{{- $_ := set $d "rabbitmq-password" ($s.rabbitmqPassword | b64enc) -}}
{{- else if index $old "rabbitmq-password" -}}
{{- $_ := set $d "rabbitmq-password" (index $old "rabbitmq-password") -}}
{{- else if .Values.rabbitmq.inChart.enabled -}}
{{- $_ := set $d "rabbitmq-password" (randAlphaNum 32 | b64enc) -}}
{{- else -}}
{{- fail (printf "secrets.rabbitmqPassword is required with an external RabbitMQ (rabbitmq.inChart.enabled=false) %s" $hint) -}}
{{- end -}}
{{- if $s.redisPassword -}}
{{- $_ := set $d "redis-password" ($s.redisPassword | b64enc) -}}
{{- else if index $old "redis-password" -}}
{{- $_ := set $d "redis-password" (index $old "redis-password") -}}
{{- else if .Values.redis.inChart.enabled -}}
{{- $_ := set $d "redis-password" (randAlphaNum 32 | b64enc) -}}
{{- end -}}
{{- if or $s.jwtPrivateKey $s.jwtPublicKey -}}
{{- $_ := set $d "jwt-private-key" (required (printf "secrets.jwtPrivateKey is required with secrets.jwtPublicKey (leave both empty and the chart makes a pair) %s" $hint) $s.jwtPrivateKey | b64enc) -}}
{{- $_ := set $d "jwt-public-key" (required (printf "secrets.jwtPublicKey is required with secrets.jwtPrivateKey (leave both empty and the chart makes a pair) %s" $hint) $s.jwtPublicKey | b64enc) -}}
{{- else if and (index $old "jwt-private-key") (index $old "jwt-public-key") -}}
{{- $_ := set $d "jwt-private-key" (index $old "jwt-private-key") -}}
{{- $_ := set $d "jwt-public-key" (index $old "jwt-public-key") -}}
{{- else if .Values.auth.enabled -}}
{{- $pair := include "hotpot.genRsaKeyPair" . | fromJson -}}
{{- $_ := set $d "jwt-private-key" ($pair.private | b64enc) -}}
{{- $_ := set $d "jwt-public-key" ($pair.public | b64enc) -}}
{{- end -}}
{{- $keys := list -}}
{{- with $s.apiKeys }}{{ $keys = append $keys . }}{{ end -}}
{{- if .Values.auth.enabled -}}
{{- /* An admin key for the operator (NOTES.txt shows how to read it); the services get its hash only. */ -}}
{{- $admin := index $old "admin-api-key" | default (printf "hp_%s" (randAlphaNum 40) | b64enc) -}}
{{- $_ := set $d "admin-api-key" $admin -}}
{{- $keys = append $keys (printf "admin:%s:admin" (sha256sum (b64dec $admin))) -}}
{{- /* The helm test pod's key: tests.apiKey, else one made here. */ -}}
{{- $test := "" -}}
{{- if .Values.tests.apiKey -}}
{{- $test = .Values.tests.apiKey | b64enc -}}
{{- else -}}
{{- $test = index $old "test-api-key" | default (printf "hp_%s" (randAlphaNum 40) | b64enc) -}}
{{- end -}}
{{- $_ := set $d "test-api-key" $test -}}
{{- $keys = append $keys (printf "helm-test:%s:%s" (sha256sum (b64dec $test)) .Values.tests.apiKeyRoles) -}}
{{- end -}}
{{- if $keys -}}
{{- $_ := set $d "api-keys" (join "," $keys | b64enc) -}}
{{- end -}}
{{- with $s.mailPassword -}}
{{- $_ := set $d "mail-password" (. | b64enc) -}}
{{- end -}}
{{- $_ := set . "hotpotSecretData" ($d | toJson) -}}
{{- end -}}
{{- index . "hotpotSecretData" -}}
{{- end -}}
