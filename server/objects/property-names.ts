// Every property name of every object Stalwart's registry knows (its `Property` enum, as
// `crates/registry/src/schema/properties_impl.rs` parses it: `@type` and the lowerCamel names
// of 929 properties). Stalwart reads a property name into that enum before it looks at the
// object, so a name outside this list is "no property at all" and one inside it but not of the
// object at hand is "another object's property". Shared wire reference §4 (`properties`), §5
// (create: "Invalid property" vs "Invalid key for object"), §6 (filter keys).

const NAMES =
  "@type abuseBanPeriod abuseBanRate accessKey accessKeyId accessToken accessTokenExpiry " +
  "accessTokens accountDomainId accountId accountIdentifier accountKey accountName " +
  "accountSwitchKey accountType accountUri accounts acmeProviderId addAuthResultsHeader " +
  "addDateHeader addDeliveredToHeader addMessageIdHeader addReceivedHeader " +
  "addReceivedSpfHeader addReturnPathHeader additionalInformation address addresses " +
  "aggregateContactInfo aggregateDkimSignDomain aggregateFromAddress aggregateFromName " +
  "aggregateMaxReportSize aggregateOrgName aggregateSendFrequency aggregateSubject alarmId " +
  "algorithms aliases allowCount allowDirectoryQueries allowExternalRcpts allowInvalidCerts " +
  "allowPlainTextAuth allowRelaying allowSpamTraining allowedEndpoints allowedIps " +
  "allowedNotifyUris alpha anonymousClientRegistration ansi apiKey apiUser applicationKey " +
  "applicationSecret arcResult arcVerify archiveDeletedAccountsFor archiveDeletedItemsFor " +
  "archivedAt archivedItemType archivedUntil arrivalDate asnUrls attemptNumber attempts " +
  "attrClass attrDescription attrEmail attrEmailAlias attrMemberOf attrSecret " +
  "attrSecretChanged auid auth authBanPeriod authBanRate authCodeExpiry authCodeMaxAttempts " +
  "authFailure authId authSecret authToken authUsername authenticatedAs authenticationResults " +
  "autoAddInvitations autoUpdateFrequency baseDn baseUrl bearerToken beta bind " +
  "bindAuthentication bindDn bindSecret blobCleanupSchedule blobId blobSize blobStore " +
  "blockCount body brokers bucket bufferSize buffered canonicalization capacityClient " +
  "capacityReadBuffer capacitySubscription catchAllAddress categories certificate " +
  "certificateManagement challengeType changesMaxResults chunking claimGroups claimName " +
  "claimUsername cleartext clientId clientIp clientSecret clientToken clusterFile columnClass " +
  "columnDescription columnEmail columnSecret comment compartmentOcid compressionAlgorithm " +
  "concurrency condition confidence config configName connectTimeout connection consumerKey " +
  "contact contactInfo contacts container content contentTypes contents context count create " +
  "createdAt createdBy credentialId credentials currentSecret customEndpoint customRegion " +
  "customRule customerNumber dane dataCleanupSchedule dataStore dataTimeout database " +
  "datacenterId dateRangeBegin dateRangeEnd dateRangeStart day deadPropertyMaxSize " +
  "defaultAdminRoleIds defaultCertificateId defaultDisplayName defaultDomain defaultDomainId " +
  "defaultExpiryDuplicate defaultExpiryVacation defaultFolders defaultFromAddress " +
  "defaultFromName defaultGroupRoleIds defaultHostname defaultHrefName defaultLanguage " +
  "defaultName defaultReturnPath defaultSubject defaultSubjectPrefix defaultTenantRoleIds " +
  "defaultUserRoleIds definition delay deleteAfter deleteAfterUse deliverAt deliverBy " +
  "deliverTo deliveryResult depth description details directory directoryId " +
  "disableCapabilities disabledPermissions discardAfter disposition dkim2Pass dkim2Result " +
  "dkimAdspDns dkimCanonicalizedBody dkimCanonicalizedHeader dkimDomain dkimIdentity " +
  "dkimManagement dkimPass dkimResults dkimSelector dkimSelectorDns dkimSignDomain " +
  "dkimSignatures dkimStrict dkimVerify dmarcPass dmarcPolicy dmarcResult dmarcVerify dnsIpv4 " +
  "dnsIpv6 dnsManagement dnsMtaSts dnsMx dnsPtr dnsRbl dnsServer dnsServerId dnsTlsa dnsTxt " +
  "dnsView dnsZoneFile documentId documentType domain domainId domainLimit domainNames " +
  "domainNamesNegative domains dsn due duplicateExpiry duration eabHmacKey eabKeyId ehloDomain " +
  "ehloHostname ehloTimeout elapsed else email emailAddress emailAddresses " +
  "emailAddressesNegative emailAlert emailDomain emailLimit emailPrefix emailTemplate enable " +
  "enableAssistedDiscovery enableEdns enableHsts enableLogExporter enableSpamFilter " +
  "enableSpanExporter enabled enabledPermissions encryptAtRest encryptOnAppend " +
  "encryptionAtRest encryptionKey endpoint envFrom envFromParameters envId envRcptTo " +
  "envelopeFrom envelopeTo environment errorCommand errorMessage errorType errors " +
  "evaluatedDisposition evaluatedDkim evaluatedSpf event eventAlert eventEnd eventEndTz " +
  "eventId eventMessage eventSourceThrottle eventStart eventStartTz events eventsPolicy expire " +
  "expires expiresAt expiresAttempts expiry expn expungeSchedule expungeSchedulingInboxAfter " +
  "expungeShareNotifyAfter expungeSubmissionsAfter expungeTrashAfter extension extensions " +
  "extraContactInfo factor failOnTimeout failedAt failedAttemptNumber failedSessionCount " +
  "failureDetails failureDkimSignDomain failureFromAddress failureFromName failureReason " +
  "failureReasonCode failureSendFrequency failureSubject featureL2Normalize featureLogScale " +
  "feedbackType fieldEmail fieldHoneyPot fieldName fieldSubject filePath files filterLogin " +
  "filterMailbox filterMemberOf fingerprint flags flagsAction flagsProtocol folderId forDomain " +
  "format from fromAddress fromEmail fromName futureRelease generateDkimKeys generator geoUrls " +
  "getMaxResults greetingTimeout greylistFor groupClass groupId headerFrom headers " +
  "holdMetricsFor holdMtaReportsFor holdSamplesFor holdTracesFor host hostedZoneId hostname " +
  "hour httpAuth httpHeaders httpRsvpEnable httpRsvpLinkExpiry httpRsvpTemplate httpRsvpUrl " +
  "httpRua humanResult iCalendarData id idTokenExpiry identityAlignment if " +
  "impersonateServiceAccount implicitTls inMemoryStore inboundReportAddresses " +
  "inboundReportForwarding incidents includeSource index indexAsn indexAsnName indexBatchSize " +
  "indexCalendar indexCalendarFields indexConcurrency indexContactFields indexContacts " +
  "indexCountry indexEmail indexEmailFields indexKey indexTelemetry indexTracingFields " +
  "indexValue indicatorParameters initialDelay interval intervals ipLimit ipLookupStrategy " +
  "ipRevPtr ipRevResult isActive isArchive isBad isDeletion isEnabled isFromOrganizer " +
  "isGlobPattern isGzipped isNz isSenderAllowed isSpam isTls issuer issuerUrl itipMaxSize " +
  "jitter key keyName keyPrefix keyValues l1Ratio l2Ratio lastRenewal learnHamFromCard " +
  "learnHamFromReply learnSpamFromRblHits learnSpamFromTraps level licenseKey line listenerIds " +
  "listeners livePropertyMaxSize locale logo logoUrl loiterBanPeriod loiterBanRate lossy " +
  "machineId mailExchangers mailFrom mailFromTimeout mailRua mailingLists maintenanceType " +
  "managedZone match maxAddressBooks maxAge maxAllowedPacket maxApiKeys maxAppPasswords " +
  "maxAttachmentSize maxAttempts maxAttendees maxAuthFailures maxCalendars maxChangesHistory " +
  "maxConcurrent maxConcurrentRequests maxConcurrentUploads maxConnections maxContacts " +
  "maxCpuCycles maxDelay maxDuration maxEntries maxEntrySize maxEventNotifications maxEvents " +
  "maxFailures maxFiles maxFolders maxHeaderSize maxICalendarSize maxIdentities maxIncludes " +
  "maxLocalVars maxLockTimeout maxLocks maxMailboxDepth maxMailboxNameLength maxMailboxes " +
  "maxMaskedAddresses maxMatchVars maxMessageSize maxMessages maxMethodCalls maxMultihomed " +
  "maxMxHosts maxNestedBlocks maxNestedForEvery maxNestedIncludes maxNestedTests " +
  "maxOutMessages maxParticipantIdentities maxPublicKeys maxPushSize maxReceivedHeaders " +
  "maxRecipients maxReconnects maxRecurrenceExpansions maxRedirects maxReportSize " +
  "maxRequestRate maxRequestSize maxResponseSize maxResults maxRetries maxRetryWait " +
  "maxScriptNameLength maxScriptSize maxScripts maxShares maxSize maxStringLength " +
  "maxSubmissions maxSubscriptions maxUploadCount maxUploadSize maxVCardSize maxVarNameLength " +
  "maxVarSize memberGroupIds memberTenantId message messageIdHostname messageIds messages " +
  "metric metrics metricsCollectionInterval metricsPolicy minHamSamples minRetryWait " +
  "minSpamSamples minTriggerInterval minute mode model modelId modelType mtPriority mtaSts " +
  "mtaStsTimeout multiline mustMatchSender mxHosts name namespace negativeTtl nextNotify " +
  "nextRetry nextTransitionAt noCapabilityCheck noEcho noSoliciting nodeId notValidAfter " +
  "notValidBefore notify notifyCount notifyDue numFeatures numReplicas numShards " +
  "onSuccessRenewCertificate openTelemetry options orcpt orgName organizationName origin " +
  "originalEnvelopeId originalMailFrom originalRcptTo otpAuth otpCode otpUrl " +
  "outboundReportDomain outboundReportSubmitter overrideProxyTrustedNetworks overrideType " +
  "ovhEndpoint parameters parseLimitContact parseLimitEmail parseLimitEvent partition password " +
  "passwordDefaultExpiry passwordHashAlgorithm passwordMaxLength passwordMinLength " +
  "passwordMinStrength path period permissions pingInterval pipelining policies policyAdkim " +
  "policyAspf policyDiscoveryMethod policyDisposition policyDomain " +
  "policyFailureReportingOptions policyIdentifier policyIdentifiers policyNp " +
  "policyOverrideReasons policyStrings policySubdomainDisposition policyTestingMode policyType " +
  "policyVersion pollInterval pollingInterval poolMaxConnections poolMinConnections " +
  "poolRecyclingMethod poolTimeoutCreate poolTimeoutRecycle poolTimeoutWait poolWorkers port " +
  "preferredChain prefix preserveIntermediates priority privateKey privateKeyPassword " +
  "privateKeyPem privateZone privateZoneOnly profile projectId prometheus prompt " +
  "propagationDelay propagationTimeout protectedHeaders protocol protocolVersion providerInfo " +
  "proxyTrustedNetworks publicKey publishRecords pushAttemptWait pushMaxAttempts " +
  "pushRequestTimeout pushRetryWait pushShardsTotal pushThrottle pushVerifyTimeout " +
  "queryEmailAliases queryLogin queryMaxResults queryMemberOf queryRecipient queueId queueName " +
  "queuedDeletions queuedUpdates quotas rate rateLimit rateLimitAnonymous " +
  "rateLimitAuthenticated ratio rcptToTimeout readFromReplicas readReplicas reason receivedAt " +
  "receivedFromIp receivedViaPort receivingIp receivingMxHelo receivingMxHostname recipients " +
  "records recurrenceId redirectRoot redirectUris refresh refreshTokenExpiry " +
  "refreshTokenRenewal region rejectNonFqdn remoteIp renewBefore report reportAddressUri " +
  "reportId reportedDomains reportedUris reportingMta requestMaxSize requestTlsCertificate " +
  "require requireAudience requireClientRegistration requireScopes requireTls " +
  "reservoirCapacity resourceGroup resourceUrl responseCode responseEnhanced responseHeaders " +
  "responseHostname responseMessage responsePosCategory responsePosConfidence " +
  "responsePosExplanation result resultType retireAfter retry retryCount retryDue returnPath " +
  "reuseKey reverseIpVerify rewrite roleIds roles rotate rotateAfter route rua sandbox " +
  "sasToken saslMechanisms scanBanPaths scanBanPeriod scanBanRate schedule scheduling scheme " +
  "scope score scoreDiscard scoreReject scoreSpam script searchStore secret secretAccessKey " +
  "secretApiKey secretId secretKey securityToken selector selectorTemplate sendFrequency " +
  "sendingMtaIp sentinelSecret sentinelUsername separator serverHostname servers " +
  "serviceAccountJson serviceName services sessionToken setMaxObjects shardIndex sharedSecret " +
  "sig0Algorithm signatureAlgorithm signatureKey signerName size skipDeploy skipFirst " +
  "smtpGreeting snippetMaxResults socketBacklog socketNoDelay socketReceiveBufferSize " +
  "socketReuseAddress socketReusePort socketSendBufferSize socketTosV4 socketTtl sourceIp " +
  "sourceIps sourcePort spamFilterRulesUrl spfDns spfEhloDomain spfEhloResult spfEhloVerify " +
  "spfFromVerify spfMailFromDomain spfMailFromResult spfResults stage stages startTime " +
  "startTls status storageAccount store stores strategy subAddressing subAuthId subject " +
  "subjectAlternativeNames subscribe subscriptionId sum summary supportedLanguages tag tags " +
  "taskTypes tasks tcpOnError teamId tempFailOnError temperature template tenancyOcid tenantId " +
  "tenants text then thirdParty thirdPartyHash threadName threadPoolSize threadsPerNode " +
  "throttle timeZone timeout timeoutAnonymous timeoutAuthenticated timeoutCommand " +
  "timeoutConnect timeoutConnection timeoutData timeoutIdle timeoutMessage timeoutRequest " +
  "timeoutSession timestamp title tls tlsDisableCipherSuites tlsDisableProtocols " +
  "tlsIgnoreClientOrder tlsImplicit tlsTimeout to token totalDeadline totalFailedSessions " +
  "totalSuccessfulSessions traceId tracer trainFrequency transactionRetryDelay " +
  "transactionRetryLimit transactionTimeout transferLimit trustContacts trustReplies " +
  "tsigAlgorithm ttl unpackDirectory updateRecords uploadQuota uploadTtl url urlLimit " +
  "urlPrefix urls usePermissiveCors useTls useXForwarded usedDiskQuota userAgent " +
  "userCodeExpiry userOcid username usernameDomain validateDomain value variableName " +
  "verifyAfterWrite version viewName vrfy waitOnFail wapiVersion webPushContact webPushKey " +
  "websocketHeartbeat websocketThrottle websocketTimeout zone zoneIpV4 zoneIpV6";

const SERVER_PROPERTIES: ReadonlySet<string> = new Set(NAMES.split(" "));

/** True when `name` is a property of some object of the server (not necessarily this one). */
export function isServerProperty(name: string): boolean {
  return SERVER_PROPERTIES.has(name);
}
