// A self-signed TLS certificate for local use (`aihistory serve --https-port` without a cert).
//
// The certificate is valid for `localhost`, 127.0.0.1 and ::1 (plus any extra DNS names), for
// `days` days, with an EC P-256 key. Clients trust it by pointing at the written PEM
// (NODE_EXTRA_CA_CERTS, curl --cacert).
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace aih::http {

struct CertificateAndKey {
  std::string certificate_pem;
  std::string private_key_pem;
};

Result<CertificateAndKey> MakeSelfSignedCertificate(const std::vector<std::string>& extra_dns_names = {},
                                                    int days = 365);

}  // namespace aih::http
