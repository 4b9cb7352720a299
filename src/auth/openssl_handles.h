// Ownership of OpenSSL objects inside src/auth (an internal header: other modules never include it).
//
// Every OpenSSL object we allocate is held by a unique_ptr whose deleter is the matching free
// function, so no early return leaks. OpenSslError() drains the calling thread's OpenSSL error queue
// into one line: an error left on the queue would otherwise surface in the next, unrelated, call.
// CryptoFailure() is for operations that cannot fail on valid inputs (signing with a key we have
// already checked, reading the system's random source): it aborts rather than return a weak result.
#pragma once

#include <memory>
#include <string>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

namespace aih::auth::internal {

template <auto Free>
struct OpenSslDeleter {
  template <typename T>
  void operator()(T* p) const { Free(p); }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpenSslDeleter<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpenSslDeleter<EVP_MD_CTX_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, OpenSslDeleter<BN_free>>;
using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<BIO_free_all>>;
using ParamBuildPtr = std::unique_ptr<OSSL_PARAM_BLD, OpenSslDeleter<OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, OpenSslDeleter<OSSL_PARAM_free>>;

// The pending OpenSSL errors as "reason; reason", or "no detail from OpenSSL"; clears the queue.
std::string OpenSslError();

// Writes `what` and the OpenSSL errors to stderr and aborts.
[[noreturn]] void CryptoFailure(const char* what);

}  // namespace aih::auth::internal
