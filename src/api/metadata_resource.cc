#include "api/metadata_resource.h"

namespace aih::api {
namespace {

// Names, types and nullability follow Microsoft Graph's own metadata for these types, so that tools
// generated from Graph's metadata and tools reading ours see the same model. Graph's copilotRoot has
// no key (it is only the type of the `copilot` singleton); ours follows it.
constexpr std::string_view kCsdl = R"csdl(<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EnumType Name="aiInteractionType">
        <Member Name="userPrompt" Value="0"/>
        <Member Name="aiResponse" Value="1"/>
        <Member Name="unknownFutureValue" Value="2"/>
      </EnumType>
      <EnumType Name="bodyType">
        <Member Name="text" Value="0"/>
        <Member Name="html" Value="1"/>
      </EnumType>
      <EnumType Name="teamworkUserIdentityType">
        <Member Name="aadUser" Value="0"/>
        <Member Name="onPremiseAadUser" Value="1"/>
        <Member Name="anonymousGuest" Value="2"/>
        <Member Name="federatedUser" Value="3"/>
        <Member Name="personalMicrosoftAccountUser" Value="4"/>
        <Member Name="skypeUser" Value="5"/>
        <Member Name="phoneUser" Value="6"/>
        <Member Name="unknownFutureValue" Value="7"/>
        <Member Name="emailUser" Value="8"/>
      </EnumType>
      <EnumType Name="teamworkApplicationIdentityType">
        <Member Name="aadApplication" Value="0"/>
        <Member Name="bot" Value="1"/>
        <Member Name="tenantBot" Value="2"/>
        <Member Name="office365Connector" Value="3"/>
        <Member Name="outgoingWebhook" Value="4"/>
        <Member Name="unknownFutureValue" Value="5"/>
      </EnumType>
      <EnumType Name="teamworkConversationIdentityType">
        <Member Name="team" Value="0"/>
        <Member Name="channel" Value="1"/>
        <Member Name="chat" Value="2"/>
        <Member Name="unknownFutureValue" Value="3"/>
      </EnumType>
      <EntityType Name="entity" Abstract="true">
        <Key>
          <PropertyRef Name="id"/>
        </Key>
        <Property Name="id" Type="Edm.String" Nullable="false"/>
      </EntityType>
      <EntityType Name="aiInteraction" BaseType="graph.entity">
        <Property Name="appClass" Type="Edm.String" Nullable="false"/>
        <Property Name="attachments" Type="Collection(graph.aiInteractionAttachment)"/>
        <Property Name="body" Type="graph.itemBody"/>
        <Property Name="contexts" Type="Collection(graph.aiInteractionContext)"/>
        <Property Name="conversationType" Type="Edm.String"/>
        <Property Name="createdDateTime" Type="Edm.DateTimeOffset"/>
        <Property Name="etag" Type="Edm.String"/>
        <Property Name="from" Type="graph.identitySet"/>
        <Property Name="interactionType" Type="graph.aiInteractionType" Nullable="false"/>
        <Property Name="links" Type="Collection(graph.aiInteractionLink)"/>
        <Property Name="locale" Type="Edm.String"/>
        <Property Name="mentions" Type="Collection(graph.aiInteractionMention)"/>
        <Property Name="requestId" Type="Edm.String"/>
        <Property Name="sessionId" Type="Edm.String"/>
      </EntityType>
      <EntityType Name="aiInteractionHistory" BaseType="graph.entity"/>
      <EntityType Name="aiUser" BaseType="graph.entity">
        <NavigationProperty Name="interactionHistory" Type="graph.aiInteractionHistory" ContainsTarget="true"/>
      </EntityType>
      <EntityType Name="copilotRoot">
        <NavigationProperty Name="interactionHistory" Type="graph.aiInteractionHistory" ContainsTarget="true"/>
        <NavigationProperty Name="users" Type="Collection(graph.aiUser)" ContainsTarget="true"/>
      </EntityType>
      <EntityType Name="subscription" BaseType="graph.entity">
        <Property Name="applicationId" Type="Edm.String"/>
        <Property Name="changeType" Type="Edm.String" Nullable="false"/>
        <Property Name="clientState" Type="Edm.String"/>
        <Property Name="creatorId" Type="Edm.String"/>
        <Property Name="encryptionCertificate" Type="Edm.String"/>
        <Property Name="encryptionCertificateId" Type="Edm.String"/>
        <Property Name="expirationDateTime" Type="Edm.DateTimeOffset" Nullable="false"/>
        <Property Name="includeResourceData" Type="Edm.Boolean"/>
        <Property Name="latestSupportedTlsVersion" Type="Edm.String"/>
        <Property Name="lifecycleNotificationUrl" Type="Edm.String"/>
        <Property Name="notificationContentType" Type="Edm.String"/>
        <Property Name="notificationQueryOptions" Type="Edm.String"/>
        <Property Name="notificationUrl" Type="Edm.String" Nullable="false"/>
        <Property Name="notificationUrlAppId" Type="Edm.String"/>
        <Property Name="resource" Type="Edm.String" Nullable="false"/>
      </EntityType>
      <ComplexType Name="itemBody">
        <Property Name="content" Type="Edm.String"/>
        <Property Name="contentType" Type="graph.bodyType"/>
      </ComplexType>
      <ComplexType Name="identity" OpenType="true">
        <Property Name="displayName" Type="Edm.String"/>
        <Property Name="id" Type="Edm.String"/>
      </ComplexType>
      <ComplexType Name="identitySet" OpenType="true">
        <Property Name="application" Type="graph.identity"/>
        <Property Name="device" Type="graph.identity"/>
        <Property Name="user" Type="graph.identity"/>
      </ComplexType>
      <ComplexType Name="chatMessageFromIdentitySet" BaseType="graph.identitySet" OpenType="true"/>
      <ComplexType Name="aiInteractionMentionedIdentitySet" BaseType="graph.identitySet" OpenType="true">
        <Property Name="conversation" Type="graph.teamworkConversationIdentity"/>
        <Property Name="tag" Type="graph.teamworkTagIdentity"/>
      </ComplexType>
      <ComplexType Name="teamworkUserIdentity" BaseType="graph.identity" OpenType="true">
        <Property Name="tenantId" Type="Edm.String"/>
        <Property Name="userIdentityType" Type="graph.teamworkUserIdentityType"/>
      </ComplexType>
      <ComplexType Name="teamworkApplicationIdentity" BaseType="graph.identity" OpenType="true">
        <Property Name="applicationIdentityType" Type="graph.teamworkApplicationIdentityType"/>
      </ComplexType>
      <ComplexType Name="teamworkConversationIdentity" BaseType="graph.identity" OpenType="true">
        <Property Name="conversationIdentityType" Type="graph.teamworkConversationIdentityType"/>
      </ComplexType>
      <ComplexType Name="teamworkTagIdentity" BaseType="graph.identity" OpenType="true"/>
      <ComplexType Name="aiInteractionAttachment">
        <Property Name="attachmentId" Type="Edm.String"/>
        <Property Name="content" Type="Edm.String"/>
        <Property Name="contentType" Type="Edm.String"/>
        <Property Name="contentUrl" Type="Edm.String"/>
        <Property Name="name" Type="Edm.String"/>
      </ComplexType>
      <ComplexType Name="aiInteractionContext">
        <Property Name="contextReference" Type="Edm.String"/>
        <Property Name="contextType" Type="Edm.String"/>
        <Property Name="displayName" Type="Edm.String"/>
      </ComplexType>
      <ComplexType Name="aiInteractionLink">
        <Property Name="displayName" Type="Edm.String"/>
        <Property Name="linkType" Type="Edm.String"/>
        <Property Name="linkUrl" Type="Edm.String"/>
      </ComplexType>
      <ComplexType Name="aiInteractionMention">
        <Property Name="mentioned" Type="graph.aiInteractionMentionedIdentitySet"/>
        <Property Name="mentionId" Type="Edm.Int32"/>
        <Property Name="mentionText" Type="Edm.String"/>
      </ComplexType>
      <Function Name="getAllEnterpriseInteractions" IsBound="true" IsComposable="true">
        <Parameter Name="bindingParameter" Type="graph.aiInteractionHistory"/>
        <ReturnType Type="Collection(graph.aiInteraction)"/>
      </Function>
      <EntityContainer Name="GraphService">
        <EntitySet Name="subscriptions" EntityType="graph.subscription"/>
        <Singleton Name="copilot" Type="graph.copilotRoot"/>
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
)csdl";

}  // namespace

std::string_view MetadataDocument() { return kCsdl; }

void AddMetadataRoutes(http::Router& router) {
  for (const char* version : {"v1.0", "beta"}) {
    router.Add("GET", std::string("/") + version + "/$metadata", [](const http::Request&, const http::PathParams&) {
      http::Response response;
      response.content_type = "application/xml";
      response.body = std::string(kCsdl);
      return response;
    });
  }
}

}  // namespace aih::api
