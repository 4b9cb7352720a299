// Microsoft's Kiota Graph SDKs pointed at aihistory: @microsoft/msgraph-sdk (v1.0) and
// @microsoft/msgraph-beta-sdk (beta), with paging by @microsoft/msgraph-sdk-core's PageIterator.
//
// The npm packages of these SDKs hold the service client, the request adapter and every model, but
// not the request builders of the copilot area. A Kiota client is extensible for that reason
// (extendGraphServiceClient / extendGraphBetaServiceClient): the metadata below is what Kiota
// generates for those builders from Graph's OpenAPI description: the URI templates (ending in
// getAllEnterpriseInteractions()), the query parameter mapper ($top as "%24top", ...), the ODataError
// mapping and the response type (a collection page of aiInteraction). Everything else (URL
// expansion, query encoding, authentication, retries, deserialisation into aiInteraction, error
// mapping, paging) is the SDKs' own code.
//
//   client.copilot.users.byAiUserId(id).interactionHistory.getAllEnterpriseInteractions.get({queryParameters})
//   client.copilot.interactionHistory.getAllEnterpriseInteractions.get(...)      (tenant-wide extension)
import { AllowedHostsValidator, BaseBearerTokenAuthenticationProvider } from "@microsoft/kiota-abstractions";
import { GraphRequestAdapter, createGraphServiceClient, extendGraphServiceClient } from "@microsoft/msgraph-sdk";
import {
  GraphBetaRequestAdapter, createGraphBetaServiceClient, extendGraphBetaServiceClient,
} from "@microsoft/msgraph-beta-sdk";
import * as v1Models from "@microsoft/msgraph-sdk/models/index.js";
import * as v1Errors from "@microsoft/msgraph-sdk/models/oDataErrors/index.js";
import * as betaModels from "@microsoft/msgraph-beta-sdk/models/index.js";
import * as betaErrors from "@microsoft/msgraph-beta-sdk/models/oDataErrors/index.js";
import { PageIterator } from "@microsoft/msgraph-sdk-core";

// The generated templates (Kiota: "{+baseurl}" + path + "{?query parameters}").
const QUERY = "{?%24count,%24expand,%24filter,%24orderby,%24search,%24select,%24skip,%24top}";
export const USER_TEMPLATE =
  `{+baseurl}/copilot/users/{aiUser%2Did}/interactionHistory/getAllEnterpriseInteractions()${QUERY}`;
export const TENANT_TEMPLATE = `{+baseurl}/copilot/interactionHistory/getAllEnterpriseInteractions()${QUERY}`;
const QUERY_MAPPER = {
  count: "%24count", expand: "%24expand", filter: "%24filter", orderby: "%24orderby",
  search: "%24search", select: "%24select", skip: "%24skip", top: "%24top",
};

// The generated response type: {@odata.count, @odata.nextLink, value: aiInteraction[]}.
function pageFactory(models) {
  return (_parseNode) => (page = {}) => ({
    ...models.deserializeIntoBaseCollectionPaginationCountResponse(page),
    value: (n) => { page.value = n.getCollectionOfObjectValues(models.createAiInteractionFromDiscriminatorValue); },
  });
}

function copilotNavigation(models, errors) {
  const get = (uriTemplate) => ({
    get: {
      uriTemplate,
      responseBodyContentType: "application/json",
      errorMappings: { XXX: errors.createODataErrorFromDiscriminatorValue },
      adapterMethodName: "send",
      responseBodyFactory: pageFactory(models),
      queryParametersMapper: QUERY_MAPPER,
    },
  });
  return {
    copilot: {
      navigationMetadata: {
        users: {
          navigationMetadata: {
            byAiUserId: {
              pathParametersMappings: ["aiUser%2Did"],
              navigationMetadata: {
                interactionHistory: {
                  navigationMetadata: { getAllEnterpriseInteractions: { requestsMetadata: get(USER_TEMPLATE) } },
                },
              },
            },
          },
        },
        interactionHistory: {
          navigationMetadata: { getAllEnterpriseInteractions: { requestsMetadata: get(TENANT_TEMPLATE) } },
        },
      },
    },
  };
}

extendGraphServiceClient(copilotNavigation(v1Models, v1Errors), {});
extendGraphBetaServiceClient(copilotNavigation(betaModels, betaErrors), {});

// An AccessTokenProvider (the interface Kiota's bearer authentication calls) that returns a token
// from aihistory's token endpoint, for hosts in `hosts` only.
export class AihistoryTokenProvider {
  constructor(getToken, hosts) {
    this.getToken = getToken;
    this.validator = new AllowedHostsValidator(new Set(hosts));
  }
  async getAuthorizationToken(url) {
    return this.validator.isUrlHostValid(url) ? this.getToken() : "";
  }
  getAllowedHostsValidator() {
    return this.validator;
  }
}

// A Kiota client of `version` ("v1.0" or "beta") for the server at `origin` (http://host:port).
// `getToken` is an async function returning an access token.
export function kiotaClient(version, origin, getToken) {
  const host = new URL(origin).hostname;
  const auth = new BaseBearerTokenAuthenticationProvider(new AihistoryTokenProvider(getToken, [host]));
  const v1 = version === "v1.0";
  const adapter = v1 ? new GraphRequestAdapter(auth) : new GraphBetaRequestAdapter(auth);
  adapter.baseUrl = `${origin}/${version}`;
  const client = v1 ? createGraphServiceClient(adapter) : createGraphBetaServiceClient(adapter);
  const models = v1 ? v1Models : betaModels;
  const errors = v1 ? v1Errors : betaErrors;
  return {
    version, adapter, client, models,
    pageFactory: pageFactory(models),
    errorMappings: { XXX: errors.createODataErrorFromDiscriminatorValue },
    userExport: (userId) => client.copilot.users.byAiUserId(userId).interactionHistory.getAllEnterpriseInteractions,
    tenantExport: () => client.copilot.interactionHistory.getAllEnterpriseInteractions,
  };
}

// Every item of a collection through msgraph-sdk-core's PageIterator, starting with `firstPage`.
export async function iterateAll(k, firstPage, requestOption) {
  const items = [];
  const iterator = new PageIterator(k.adapter, firstPage, (item) => { items.push(item); return true; },
                                    k.pageFactory, k.errorMappings, requestOption ? { requestOption } : undefined);
  await iterator.iterate();
  return { items, state: iterator.getPagingState() };
}
