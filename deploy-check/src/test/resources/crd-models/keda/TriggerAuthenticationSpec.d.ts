import { IComGithubKedacoreKedaV2ApisKedaV1alpha1AwsSecretManager } from "./AwsSecretManager.js";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1AzureKeyVault } from "./AzureKeyVault.js";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1BoundServiceAccountToken } from "./BoundServiceAccountToken.js";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthConfigMapTargetRef } from "./AuthConfigMapTargetRef.js";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthEnvironment } from "./AuthEnvironment.js";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1GCPSecretManager } from "./GCPSecretManager.js";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1HashiCorpVault } from "./HashiCorpVault.js";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthPodIdentity } from "./AuthPodIdentity.js";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthSecretTargetRef } from "./AuthSecretTargetRef.js";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * TriggerAuthenticationSpec defines the various ways to authenticate
 */
export interface ITriggerAuthenticationSpec {
    "awsSecretManager"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1AwsSecretManager;
    "azureKeyVault"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1AzureKeyVault;
    "boundServiceAccountToken"?: Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1BoundServiceAccountToken>;
    "configMapTargetRef"?: Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthConfigMapTargetRef>;
    "env"?: Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthEnvironment>;
    /**
     * FilePath specifies a file containing auth parameters as JSON map[string]string.
     * When set, auth params are read directly from this file instead.
     */
    "filePath"?: string;
    "gcpSecretManager"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1GCPSecretManager;
    "hashiCorpVault"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1HashiCorpVault;
    "podIdentity"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthPodIdentity;
    "secretTargetRef"?: Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthSecretTargetRef>;
}
/**
 * TriggerAuthenticationSpec defines the various ways to authenticate
 */
export declare class TriggerAuthenticationSpec extends Model<ITriggerAuthenticationSpec> implements ITriggerAuthenticationSpec {
    "awsSecretManager"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1AwsSecretManager;
    "azureKeyVault"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1AzureKeyVault;
    "boundServiceAccountToken"?: Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1BoundServiceAccountToken>;
    "configMapTargetRef"?: Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthConfigMapTargetRef>;
    "env"?: Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthEnvironment>;
    "filePath"?: string;
    "gcpSecretManager"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1GCPSecretManager;
    "hashiCorpVault"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1HashiCorpVault;
    "podIdentity"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthPodIdentity;
    "secretTargetRef"?: Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthSecretTargetRef>;
    constructor(data?: ModelData<ITriggerAuthenticationSpec>);
}
export type { ITriggerAuthenticationSpec as IComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerAuthenticationSpec, TriggerAuthenticationSpec as ComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerAuthenticationSpec };
