#include "integrity/signed_note.h"

#include <gtest/gtest.h>

#include "base/base64.h"
#include "integrity/checkpoint.h"

namespace aih::integrity {
namespace {

// The example of Go's golang.org/x/mod/sumdb/note (the reference implementation of c2sp.org/signed-note):
// its private key "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
// signs this text into exactly this note (Ed25519 signatures are deterministic).
constexpr char kGoText[] =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr char kGoNote[] =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
    "\n"
    "\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

NoteSigner GoSigner() {
  auto typed = Base64Decode("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz");
  EXPECT_TRUE(typed.ok());
  auto signer = NoteSigner::FromSeed("PeterNeumann", typed->substr(1));
  EXPECT_TRUE(signer.ok()) << signer.status().message();
  return *signer;
}

TEST(SignedNote, SignsAsGosReferenceImplementation) {
  const NoteSigner signer = GoSigner();
  EXPECT_EQ(signer.key_id(), 0xc74f20a3u);
  auto note = signer.Sign(kGoText);
  ASSERT_TRUE(note.ok());
  EXPECT_EQ(*note, kGoNote);
}

TEST(SignedNote, VerifiesWithTheVerifierKeyAndRefusesAlterations) {
  const NoteSigner signer = GoSigner();
  const std::string vkey = signer.VerifierKey();
  EXPECT_EQ(vkey.rfind("PeterNeumann+c74f20a3+", 0), 0u) << vkey;
  auto verifier = NoteVerifier::Parse(vkey);
  ASSERT_TRUE(verifier.ok()) << verifier.status().message();
  auto text = verifier->Open(kGoNote);
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_EQ(*text, kGoText);

  std::string altered = kGoNote;
  altered[3] = 'X';
  EXPECT_EQ(verifier->Open(altered).status().code(), Code::kUnauthenticated);

  // Another key of the same name (another log pretending): its signature is not ours.
  auto impostor = NoteSigner::FromSeed("PeterNeumann", std::string(32, '\x07'));
  ASSERT_TRUE(impostor.ok());
  EXPECT_EQ(verifier->Open(*impostor->Sign(kGoText)).status().code(), Code::kUnauthenticated);

  // A cosigner's line beside ours is ignored.
  auto witness = NoteSigner::FromSeed("witness.example", std::string(32, '\x09'));
  std::string cosigned = *witness->Sign(kGoText);
  cosigned += std::string(kGoNote).substr(std::string(kGoText).size() + 1);
  EXPECT_TRUE(verifier->Open(cosigned).ok()) << cosigned;
}

// A key's base64 may hold '+' (one key in four or so): only the first two '+' separate the fields.
TEST(SignedNote, AVerifierKeyWhoseBase64HoldsAPlusParses) {
  int found = 0;
  for (int b = 0; b < 64; ++b) {
    auto signer = NoteSigner::FromSeed("aihistory", std::string(32, static_cast<char>(b)));
    ASSERT_TRUE(signer.ok());
    const std::string key = signer->VerifierKey();
    if (key.find('+', key.find('+', key.find('+') + 1) + 1) == std::string::npos) continue;
    ++found;
    auto verifier = NoteVerifier::Parse(key);
    ASSERT_TRUE(verifier.ok()) << key << ": " << verifier.status().message();
    EXPECT_TRUE(verifier->Open(*signer->Sign("text\n")).ok()) << key;
  }
  EXPECT_GT(found, 0) << "no seed gave a key with '+' in its base64";
}

TEST(SignedNote, MalformedNotesAndKeysAreRefusedWithTheReason) {
  const NoteSigner signer = GoSigner();
  EXPECT_EQ(signer.Sign("no final newline").status().code(), Code::kBadRequest);
  EXPECT_EQ(signer.Sign("a blank\n\nline\n").status().code(), Code::kBadRequest);
  EXPECT_EQ(signer.Sign("a tab\there\n").status().code(), Code::kBadRequest);
  EXPECT_EQ(NoteSigner::FromSeed("has space", std::string(32, 'k')).status().code(), Code::kBadRequest);
  EXPECT_EQ(NoteSigner::FromSeed("a+b", std::string(32, 'k')).status().code(), Code::kBadRequest);
  EXPECT_EQ(NoteSigner::FromSeed("short", "seed").status().code(), Code::kBadRequest);

  auto verifier = *NoteVerifier::Parse(signer.VerifierKey());
  for (const std::string& note : {std::string(kGoText), std::string(kGoText) + "\n",
                                  std::string(kGoText) + "\n-- PeterNeumann abc\n",
                                  std::string(kGoText) + "\n\xe2\x80\x94 PeterNeumann !!!\n"}) {
    EXPECT_EQ(verifier.Open(note).status().code(), Code::kBadRequest) << note;
  }
  EXPECT_EQ(NoteVerifier::Parse("PeterNeumann+00000000+" + signer.VerifierKey().substr(22)).status().code(),
            Code::kBadRequest);
  EXPECT_EQ(NoteVerifier::Parse("no-plus-signs").status().code(), Code::kBadRequest);
}

TEST(Checkpoint, FormatsAndParsesTheC2spText) {
  Checkpoint checkpoint{"aihistory.example/tenant-1", 12345, LeafHash("x"), {"extension one"}};
  auto text = FormatCheckpoint(checkpoint);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->substr(0, 33), "aihistory.example/tenant-1\n12345\n");
  auto parsed = ParseCheckpoint(*text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(*parsed, checkpoint);
  // Signed and opened, it is the same checkpoint.
  auto note = GoSigner().Sign(*text);
  ASSERT_TRUE(note.ok());
  EXPECT_EQ(*ParseCheckpoint(*NoteVerifier::Parse(GoSigner().VerifierKey())->Open(*note)), checkpoint);

  for (const char* bad : {"origin\n012\nAAAA\n", "origin\n12\n", "origin\n-1\nAAAA\n", "\n1\nAAAA\n",
                          "origin\n1\nnot-base64\n", "origin\n99999999999999999999\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",
                          "origin\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="}) {
    EXPECT_EQ(ParseCheckpoint(bad).status().code(), Code::kBadRequest) << bad;
  }
  checkpoint.origin = "two\nlines";
  EXPECT_EQ(FormatCheckpoint(checkpoint).status().code(), Code::kBadRequest);
}

}  // namespace
}  // namespace aih::integrity
